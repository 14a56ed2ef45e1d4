using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Traces.Client.Errors;
using Traces.Client.Vendors;
using Traces.Client.Vendors.Novyx;
using Traces.Client.Vendors.SidClaw;
using Traces.Client.Vendors.StateBase;
using Traces.Client.Vendors.ZenMesh;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests.Vendors;

/// <summary>
/// The shared pipeline under faults, for each vendor's GET: 5xx then success, connection resets, truncated and empty
/// bodies; and what every vendor client shares: keys never logged, one ActivitySource, DI registration.
/// </summary>
public sealed class VendorFaultTests : VendorTestBase
{
    public static TheoryData<string> Vendors() => new("novyx", "sidclaw", "zenmesh", "statebase");

    private (string Path, string Body, Func<VendorClientOptions, Task<string?>> Call) Endpoint(string vendor) => vendor switch
    {
        "novyx" => ("/v1/traces/t1", """{"trace":{"trace_id":"t1"},"steps":[],"step_count":0}""",
            async o => { using var c = new NovyxClient((NovyxClientOptions)o); return (await c.GetTraceAsync("t1", Ct)).Trace!.TraceId; }),
        "sidclaw" => ("/api/v1/traces/t1", """{"id":"t1","events":[]}""",
            async o => { using var c = new SidClawClient((SidClawClientOptions)o); return (await c.GetTraceAsync("t1", Ct)).Id; }),
        "zenmesh" => ("/v1/tenants/ten/deliveries/t1", """{"id":"t1"}""",
            async o => { using var c = new ZenMeshClient((ZenMeshClientOptions)o); return (await c.GetDeliveryAsync("t1", Ct)).Id; }),
        _ => ("/v1/traces/t1", """{"id":"t1"}""",
            async o => { using var c = new StateBaseClient((StateBaseClientOptions)o); return (await c.GetTraceAsync("t1", Ct)).Id; }),
    };

    private VendorClientOptions Options(string vendor, Action<VendorClientOptions>? configure = null) => vendor switch
    {
        "novyx" => Fast(new NovyxClientOptions(), configure),
        "sidclaw" => Fast(new SidClawClientOptions(), configure),
        "zenmesh" => Fast(new ZenMeshClientOptions { TenantId = "ten" }, configure),
        _ => Fast(new StateBaseClientOptions(), configure),
    };

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Get_500Then503ThenOk_IsRetried(string vendor)
    {
        var (path, body, call) = Endpoint(vendor);
        Sequence("GET", path,
            Response.Create().WithStatusCode(500).WithBody("""{"error":"internal_error","message":"boom","status":500}"""),
            Response.Create().WithStatusCode(503),
            Response.Create().WithBody(body));

        Assert.Equal("t1", await call(Options(vendor)));
        Assert.Equal(3, Requests("GET", path).Count);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Get_AlwaysFailing_StopsAfterMaxRetries_WithTheLastStatus(string vendor)
    {
        var (path, _, call) = Endpoint(vendor);
        Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithStatusCode(502));

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => call(Options(vendor, o => o.MaxRetries = 2)));

        Assert.Equal(502, ex.Status);
        Assert.Equal(3, Requests("GET", path).Count);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Get_ConnectionResetTwiceThenOk_IsRetried(string vendor)
    {
        var (_, body, call) = Endpoint(vendor);
        using var server = new ResettingServer(resets: 2, responseBody: body);

        Assert.Equal("t1", await call(Options(vendor, o => o.BaseUrl = server.Url)));
        Assert.Equal(3, server.Connections);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Get_AlwaysReset_IsNetworkErrorWithStatusZero(string vendor)
    {
        var (_, body, call) = Endpoint(vendor);
        using var server = new ResettingServer(resets: int.MaxValue, responseBody: body);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => call(Options(vendor, o => { o.BaseUrl = server.Url; o.MaxRetries = 1; })));

        Assert.Equal(0, ex.Status);
        Assert.Equal(KnownErrorCode.NetworkError, ex.KnownErrorCode);
        Assert.StartsWith("req_", ex.RequestId, StringComparison.Ordinal);
        Assert.Equal(2, server.Connections);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Get_TruncatedJson_IsInvalidResponseWithTheRawBody(string vendor)
    {
        var (path, body, call) = Endpoint(vendor);
        var cut = body[..(body.Length - 3)];
        Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithBody(cut));

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => call(Options(vendor)));

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
        Assert.Equal(200, ex.Status);
        Assert.Equal(cut, ex.RawBody);
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Get_EmptyResponseFault_IsATypedError(string vendor)
    {
        var (path, _, call) = Endpoint(vendor);
        Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithFault(FaultType.EMPTY_RESPONSE));

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => call(Options(vendor, o => o.MaxRetries = 1)));

        Assert.Contains(ex.KnownErrorCode, new[] { KnownErrorCode.InvalidResponse, KnownErrorCode.NetworkError });
    }

    [Theory]
    [MemberData(nameof(Vendors))]
    public async Task Logs_NeverHoldTheKey_AndEachCallIsAnActivityOfTracesClient(string vendor)
    {
        var (path, body, _) = Endpoint(vendor);
        Sequence("GET", path, Response.Create().WithStatusCode(503), Response.Create().WithBody(body));
        var logs = new CapturingLoggerProvider();
        using var factory = new CapturingLoggerFactory(logs);
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TracesClient.DiagnosticsName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);

        // Other tests of this class run in parallel against the same paths: only activities under this
        // test's own root are this test's calls.
        using var root = new Activity("test-root").Start();
        switch (vendor)
        {
            case "novyx":
                using (var c = new NovyxClient((NovyxClientOptions)Options(vendor), factory)) { await c.GetTraceAsync("t1", Ct); }
                break;
            case "sidclaw":
                using (var c = new SidClawClient((SidClawClientOptions)Options(vendor), factory)) { await c.GetTraceAsync("t1", Ct); }
                break;
            case "zenmesh":
                using (var c = new ZenMeshClient((ZenMeshClientOptions)Options(vendor), factory)) { await c.GetDeliveryAsync("t1", Ct); }
                break;
            default:
                using (var c = new StateBaseClient((StateBaseClientOptions)Options(vendor), factory)) { await c.GetTraceAsync("t1", Ct); }
                break;
        }

        Assert.Contains("Retrying HTTP GET", logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, logs.All, StringComparison.Ordinal);
        Activity activity;
        lock (activities)
        {
            activity = Assert.Single(activities, a => a.TraceId == root.TraceId && a.GetTagItem("traces.trace_id") as string == "t1");
        }

        Assert.Equal(1, activity.GetTagItem("traces.retry_count"));
        Assert.Equal(200, activity.GetTagItem("http.response.status_code"));
    }

    [Theory]
    [InlineData("novyx", """{"error":"Rate limit exceeded","code":"RATE_LIMITED","status":429,"usage":{"current":5000,"limit":5000}}""", "RATE_LIMITED")]
    [InlineData("sidclaw", """{"error":"rate_limit_exceeded","message":"Rate limit exceeded. Retry after 9 seconds.","status":429,"request_id":"r"}""", "rate_limit_exceeded")]
    [InlineData("zenmesh", """{"type":"about:blank","title":"Too Many Requests","status":429}""", "rate_limited")]
    [InlineData("statebase", """{"error":{"code":"rate_limit_exceeded","message":"Retry after 9 seconds.","type":"rate_limit_error","retry_after":9}}""", "rate_limit_exceeded")]
    public async Task RateLimited_EachVendorsBody_IsRateLimitedWithRetryAfter(string vendor, string body, string code)
    {
        var (path, _, call) = Endpoint(vendor);
        Server.Given(Request.Create().WithPath(path).UsingGet()).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "9").WithBody(body));

        var ex = await Assert.ThrowsAsync<TracesRateLimitedException>(() => call(Options(vendor, o => o.MaxRetries = 0)));

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(KnownErrorCode.RateLimited, ex.KnownErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(9), ex.RetryAfter);
        Assert.Equal(body, ex.RawBody);
        Assert.Single(Requests("GET", path));
    }

    [Fact]
    public async Task SidClawExport_TooLarge_IsExportTooLarge()
    {
        Json("GET", "/api/v1/traces/export", 413, """{"error":"export_too_large","message":"Export contains 100001 traces (max 100,000). Use a smaller date range.","status":413,"request_id":"r"}""");
        using var client = new SidClawClient(Fast(new SidClawClientOptions()));

        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.ExportTracesCsvAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), cancellationToken: Ct));

        Assert.Equal(KnownErrorCode.ExportTooLarge, ex.KnownErrorCode);
        Assert.Equal(413, ex.Status);
    }

    [Fact]
    public async Task DependencyInjection_VendorClientReportsOnItsContainersMeter()
    {
        Json("GET", "/v1/traces/public-key", 200, """{"public_key":"k","algorithm":"RSA-PSS-SHA256"}""");
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddNovyxClient(o => Fast(o));
        await using var provider = services.BuildServiceProvider();
        var meterFactory = provider.GetRequiredService<IMeterFactory>();

        // Other tests' clients report on the process-wide meter or their own containers': only this container's count.
        var calls = new ConcurrentQueue<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "traces.client.calls" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => calls.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();

        await provider.GetRequiredService<NovyxClient>().GetPublicKeyAsync(Ct);

        var call = Assert.Single(calls);
        Assert.Equal((1L, "Novyx.GetPublicKey", "ok"), (call.Value, (string?)call.Tags["traces.method"], (string?)call.Tags["traces.outcome"]));
    }

    [Fact]
    public async Task DependencyInjection_RegistersEachVendorOnTheSharedPipeline()
    {
        Json("GET", "/api/v1/traces/t1/verify", 200, """{"verified":true,"total_events":1,"verified_events":1,"broken_at":null}""");
        Json("GET", "/v1/traces/public-key", 200, """{"public_key":"k","algorithm":"RSA-PSS-SHA256"}""");
        var services = new ServiceCollection();
        services.AddSidClawClient(o => Fast(o));
        services.AddNovyxClient(o => Fast(o));
        services.AddZenMeshClient(o => Fast(o, z => z.TenantId = "ten"));
        var builder = services.AddStateBaseClient(o => Fast(o));
        using var provider = services.BuildServiceProvider();

        var verification = await provider.GetRequiredService<SidClawClient>().VerifyTraceAsync("t1", Ct);
        var key = await provider.GetRequiredService<NovyxClient>().GetPublicKeyAsync(Ct);

        Assert.True(verification.Verified);
        Assert.Equal("RSA-PSS-SHA256", key.Algorithm);
        Assert.Same(provider.GetRequiredService<SidClawClient>(), provider.GetRequiredService<SidClawClient>());
        Assert.NotNull(provider.GetRequiredService<ZenMeshClient>());
        Assert.NotNull(provider.GetRequiredService<StateBaseClient>());
        Assert.Equal(StateBaseClient.HttpClientName, builder.Name);
        AssertBearer(Single("GET", "/api/v1/traces/t1/verify"));
    }

    [Fact]
    public async Task Post_WithAnIdempotencyKeyAddedByTheCaller_IsStillSentOnce_SidClawHonoursNone()
    {
        Json("POST", "/api/v1/evaluate", 503, """{"error":"internal_error","message":"down","status":503,"request_id":"r"}""");
        var services = new ServiceCollection();
        services.AddSidClawClient(o => Fast(o)).AddHttpMessageHandler(() => new AddIdempotencyKey());
        using var provider = services.BuildServiceProvider();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() =>
            provider.GetRequiredService<SidClawClient>().EvaluateAsync(new SidClawEvaluateRequest { AgentId = "a" }, Ct));

        Assert.Equal(503, ex.Status);
        Assert.Equal("caller-key", Header(Single("POST", "/api/v1/evaluate"), "Idempotency-Key"));
        Assert.False(Traces.Client.Http.TracesResilience.IsSafeToRepeat(
            new HttpRequestMessage(HttpMethod.Post, "http://x") { Headers = { { "Idempotency-Key", "k" } } }, honoursIdempotencyKeys: false));
    }

    private sealed class AddIdempotencyKey : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", "caller-key");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
