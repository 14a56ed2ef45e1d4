using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traces.Client.Errors;
using Traces.Client.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>ActivitySource and Meter named Traces.Client; logs that never contain the API key.</summary>
public sealed class DiagnosticsTests : WireMockTestBase
{
    private void FailOnceThen(string path, string method, int status, string body)
    {
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(path).WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503));
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(path).WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));
    }

    [Fact]
    public async Task EachCall_IsAnActivity_TaggedWithTraceIdMethodStatusAndRetries()
    {
        var traceId = "tr_diag_" + Guid.NewGuid().ToString("N");
        FailOnceThen($"/v1/traces/{traceId}", "GET", 200, $$"""{"trace_id":"{{traceId}}","status":"open"}""");
        Server.Given(Request.Create().WithPath($"/v1/traces/{traceId}/proof").UsingGet()).RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"code":"trace_not_found"}"""));
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TracesClient.DiagnosticsName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var client = CreateClient();

        await client.Traces.GetAsync(traceId, Ct);
        await Assert.ThrowsAsync<TracesNotFoundException>(() => client.Traces.GetProofAsync(traceId, Ct));

        var mine = stopped.Where(a => Equals(a.GetTagItem("traces.trace_id"), traceId)).ToList();
        var get = Assert.Single(mine, a => a.OperationName == "Traces.Get");
        Assert.Equal("Traces.Get", get.GetTagItem("traces.method"));
        Assert.Equal(200, get.GetTagItem("http.response.status_code"));
        Assert.Equal(1, get.GetTagItem("traces.retry_count"));
        Assert.Equal(ActivityStatusCode.Unset, get.Status);
        var proof = Assert.Single(mine, a => a.OperationName == "Traces.GetProof");
        Assert.Equal(ActivityStatusCode.Error, proof.Status);
        Assert.Equal(404, proof.GetTagItem("http.response.status_code"));
        Assert.Equal("trace_not_found", proof.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Meter_CountsCallsAndRetries_OfItsOwnServiceProvider()
    {
        // Two 503s, then the answer: one call, two retries.
        Server.Given(Request.Create().WithPath("/v1/traces/tr_meter").UsingGet()).InScenario("meter").WillSetStateTo("s1")
            .RespondWith(Response.Create().WithStatusCode(503));
        Server.Given(Request.Create().WithPath("/v1/traces/tr_meter").UsingGet()).InScenario("meter").WhenStateIs("s1").WillSetStateTo("s2")
            .RespondWith(Response.Create().WithStatusCode(503));
        Server.Given(Request.Create().WithPath("/v1/traces/tr_meter").UsingGet()).InScenario("meter").WhenStateIs("s2")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"trace_id":"tr_meter"}"""));
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddTracesClient(o =>
        {
            o.Endpoint = new Uri(Server.Url!);
            o.ApiKey = ApiKey;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
        });
        await using var sp = services.BuildServiceProvider();
        var meterFactory = sp.GetRequiredService<IMeterFactory>();

        // The process-wide meter and other tests' providers report too: only this provider's measurements count.
        var measured = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var meterListener = new MeterListener();
        meterListener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TracesClient.DiagnosticsName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measured.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        meterListener.Start();

        await sp.GetRequiredService<TracesClient>().Traces.GetAsync("tr_meter", Ct);

        var retries = measured.Where(m => m.Instrument == "traces.client.retries").ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Equal((1L, "Traces.Get"), (r.Value, (string?)r.Tags["traces.method"])));
        var call = Assert.Single(measured, m => m.Instrument == "traces.client.calls");
        Assert.Equal(1, call.Value);
        Assert.Equal("Traces.Get", call.Tags["traces.method"]);
        Assert.Equal("ok", call.Tags["traces.outcome"]);
        Assert.Equal(200, call.Tags["http.response.status_code"]);
        Assert.Equal(3, Requests("GET", "/v1/traces/tr_meter").Count);
    }

    [Theory]
    [InlineData(TracesAuthHeaderStyle.ApiKeyHeader)]
    [InlineData(TracesAuthHeaderStyle.Bearer)]
    public async Task Logs_RecordRequestsAndRetries_ButNeverTheApiKey(TracesAuthHeaderStyle style)
    {
        FailOnceThen("/v1/traces", "POST", 201, """{"trace_id":"tr_1","status":"open"}""");
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"code":"unauthorized"}"""));
        var provider = new CapturingLoggerProvider();
        using var client = CreateClient(o => o.AuthHeaderStyle = style, new CapturingLoggerFactory(provider));

        await client.Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct);
        var ex = await Assert.ThrowsAsync<TracesAuthenticationException>(() => client.Traces.GetAsync("tr_1", Ct));

        var all = provider.All;
        Assert.Contains("Retrying HTTP POST /v1/traces", all, StringComparison.Ordinal);
        Assert.Contains("answered 201", all, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", all, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_ThroughDependencyInjectionAtTraceLevel_NeverContainTheApiKey()
    {
        FailOnceThen("/v1/traces", "POST", 201, """{"trace_id":"tr_1","status":"open"}""");
        var provider = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        services.AddTracesClient(o =>
        {
            o.Endpoint = new Uri(Server.Url!);
            o.ApiKey = ApiKey;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.AuthHeaderStyle = TracesAuthHeaderStyle.Bearer;
        });
        using var sp = services.BuildServiceProvider();

        await sp.GetRequiredService<TracesClient>().Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct);

        Assert.DoesNotContain(ApiKey, provider.All, StringComparison.Ordinal);

        // Only the client's own handler logs (IHttpClientFactory's logging handlers are removed): two attempts, each
        // sent with the same idempotency key and answered, and the retry between them.
        Assert.DoesNotContain(provider.Entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        var sent = provider.Client(1);
        Assert.Equal(2, sent.Count);
        Assert.All(sent, e => Assert.Equal(("POST", "/v1/traces"), ((string)e["Method"]!, (string)e["Path"]!)));
        var keys = sent.Select(e => System.Text.RegularExpressions.Regex.Match((string)e["Headers"]!, "Idempotency-Key: ([0-9a-f]{32}); ").Groups[1].Value).ToList();
        Assert.Matches("^[0-9a-f]{32}$", keys[0]);
        Assert.Equal(keys[0], keys[1]);
        Assert.All(sent, e => Assert.Contains("Authorization: [REDACTED]; ", (string)e["Headers"]!, StringComparison.Ordinal));

        Assert.Equal(new[] { 503, 201 }, provider.Client(2).Select(e => (int)e["StatusCode"]!));
        var retry = Assert.Single(provider.Client(10));
        Assert.Equal(LogLevel.Warning, retry.Level);
        Assert.Equal("POST", retry["Method"]);
        Assert.Equal("/v1/traces", retry["Path"]);
        Assert.Equal(1, retry["Retry"]);
        Assert.Equal("status 503", retry["Reason"]);
    }
}
