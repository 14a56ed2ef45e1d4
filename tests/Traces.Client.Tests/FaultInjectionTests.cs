using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traces.Client.Errors;
using Traces.Client.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>
/// Faults: 5xx then success, 429 with Retry-After, dropped connections, timeouts, malformed, truncated and HTML
/// bodies. Each gives the documented retry or a typed exception, and a POST is never executed twice.
/// </summary>
public sealed class FaultInjectionTests : WireMockTestBase
{
    private const string TraceJson = """{"trace_id":"tr_1","status":"open"}""";

    private void Sequence(string path, string method, params IResponseBuilder[] responses)
    {
        for (var i = 0; i < responses.Length; i++)
        {
            var given = Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(path);
            if (i > 0)
            {
                given = given.WhenStateIs($"s{i}");
            }

            // The last answer keeps matching, so an extra retry under load still gets it.
            (i < responses.Length - 1 ? given.WillSetStateTo($"s{i + 1}") : given).RespondWith(responses[i]);
        }
    }

    [Fact]
    public async Task Get_500Then503ThenOk_IsRetriedAndSucceeds()
    {
        Sequence("/v1/traces/tr_1", "GET",
            Response.Create().WithStatusCode(500).WithBody("""{"code":"internal_error"}"""),
            Response.Create().WithStatusCode(503),
            Response.Create().WithStatusCode(200).WithBody(TraceJson));
        using var client = CreateClient();

        var trace = await client.Traces.GetAsync("tr_1", Ct);

        Assert.Equal("tr_1", trace.TraceId);
        Assert.Equal(3, Requests("GET", "/v1/traces/tr_1").Count);
    }

    [Fact]
    public async Task Get_AlwaysFailing_StopsAfterMaxRetries_WithLastStatus()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithStatusCode(503).WithBody("""{"code":"internal_error"}"""));
        using var client = CreateClient(o => o.MaxRetries = 2);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.Equal(503, ex.Status);
        Assert.Equal(3, Requests("GET", "/v1/traces/tr_1").Count);
    }

    [Fact]
    public async Task PostWithAutoKey_503ThenCreated_IsRetriedWithTheSameKey()
    {
        Sequence("/v1/traces", "POST",
            Response.Create().WithStatusCode(503),
            Response.Create().WithStatusCode(201).WithBody(TraceJson));
        using var client = CreateClient();

        await client.Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct);

        var sent = Requests("POST", "/v1/traces");
        Assert.Equal(2, sent.Count);
        Assert.NotNull(Header(sent[0], "Idempotency-Key"));
        Assert.Equal(Header(sent[0], "Idempotency-Key"), Header(sent[1], "Idempotency-Key"));
        Assert.Equal(sent[0].RequestMessage!.Body, sent[1].RequestMessage!.Body);
    }

    [Fact]
    public async Task PostWithoutKey_503_IsSentExactlyOnce()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        using var client = CreateClient(o => o.AutoIdempotencyKeys = false);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct));

        Assert.Equal(503, ex.Status);
        var sent = Assert.Single(Requests("POST", "/v1/traces"));
        Assert.Null(Header(sent, "Idempotency-Key"));
    }

    [Fact]
    public async Task PostWithoutKey_ConnectionReset_IsSentExactlyOnce_AndMapsToStatusZero()
    {
        using var server = new ResettingServer(resets: int.MaxValue, responseBody: TraceJson);
        using var client = new TracesClient(FastOptions(o =>
        {
            o.Endpoint = server.Url;
            o.AutoIdempotencyKeys = false;
        }));

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Events.RecordAsync(new RecordEventRequest { EventType = "e" }, Ct));

        Assert.Equal(0, ex.Status);
        Assert.Equal(KnownErrorCode.NetworkError, ex.KnownErrorCode);
        Assert.StartsWith("req_", ex.RequestId, StringComparison.Ordinal);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task PostWithAutoKey_ConnectionResetThenOk_IsRetried()
    {
        using var server = new ResettingServer(resets: 1, responseBody: TraceJson);
        using var client = new TracesClient(FastOptions(o => o.Endpoint = server.Url));

        var trace = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct);

        Assert.Equal("tr_1", trace.TraceId);
        Assert.Equal(2, server.Connections);
    }

    [Fact]
    public async Task Get_ConnectionResetThenOk_IsRetried()
    {
        using var server = new ResettingServer(resets: 2, responseBody: TraceJson);
        using var client = new TracesClient(FastOptions(o => o.Endpoint = server.Url));

        var trace = await client.Traces.GetAsync("tr_1", Ct);

        Assert.Equal("tr_1", trace.TraceId);
        Assert.Equal(3, server.Connections);
    }

    [Fact]
    public async Task WireMockEmptyResponseFault_IsInvalidResponse_NotAJsonException()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithFault(FaultType.EMPTY_RESPONSE));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
    }

    [Fact]
    public async Task Get_MalformedResponseChunk_IsTypedException()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(TraceJson).WithFault(FaultType.MALFORMED_RESPONSE_CHUNK));
        using var client = CreateClient(o => o.MaxRetries = 1);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.True(ex.KnownErrorCode is KnownErrorCode.NetworkError or KnownErrorCode.InvalidResponse, ex.ToString());
    }

    [Fact]
    public async Task Get_429WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        Sequence("/v1/traces/tr_1", "GET",
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("""{"code":"rate_limited"}"""),
            Response.Create().WithStatusCode(200).WithBody(TraceJson));
        using var client = CreateClient(o => o.RetryDelay = TimeSpan.FromMilliseconds(1));
        var watch = Stopwatch.StartNew();

        await client.Traces.GetAsync("tr_1", Ct);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {watch.Elapsed}");
        Assert.Equal(2, Requests("GET", "/v1/traces/tr_1").Count);
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxRetryDelay_FailsAtOnce_AsRateLimitedWithRetryAfter()
    {
        Sequence("/v1/traces/tr_1", "GET",
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "86400").WithBody("""{"code":"rate_limited","status":429}"""),
            Response.Create().WithStatusCode(200).WithBody(TraceJson));
        using var client = CreateClient(o => o.MaxRetryDelay = TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<TracesRateLimitedException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.Equal(429, ex.Status);
        Assert.Equal(KnownErrorCode.RateLimited, ex.KnownErrorCode);
        Assert.Equal(TimeSpan.FromDays(1), ex.RetryAfter);
        Assert.Single(Requests("GET", "/v1/traces/tr_1"));
    }

    [Fact]
    public async Task RetryAfter_LongerThanWhatIsLeftOfTotalTimeout_FailsAtOnce_NotAsTimeout()
    {
        // The answer takes 1.5 s of a 6 s budget and asks for 5 s more: a retry could not finish in time. (The 4.5 s
        // between the answer and the attempt's timeout are for a loaded machine: the 429 must arrive first.)
        Sequence("/v1/traces/tr_1", "GET",
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "5").WithBody("""{"code":"rate_limited"}""").WithDelay(TimeSpan.FromSeconds(1.5)),
            Response.Create().WithStatusCode(200).WithBody(TraceJson));
        using var client = CreateClient(o =>
        {
            o.MaxRetryDelay = TimeSpan.FromSeconds(10);
            o.AttemptTimeout = TimeSpan.FromSeconds(6);
            o.TotalTimeout = TimeSpan.FromSeconds(6);
        });

        var ex = await Assert.ThrowsAsync<TracesRateLimitedException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.Equal(KnownErrorCode.RateLimited, ex.KnownErrorCode);
        Assert.Equal(TimeSpan.FromSeconds(5), ex.RetryAfter);
        Assert.Single(Requests("GET", "/v1/traces/tr_1"));
    }

    [Fact]
    public async Task RetryAfter_On503_LongerThanAllowed_FailsAtOnce_WithThe503()
    {
        Sequence("/v1/traces/tr_1", "GET",
            Response.Create().WithStatusCode(503).WithHeader("Retry-After", "3600").WithBody("""{"code":"internal_error"}"""),
            Response.Create().WithStatusCode(200).WithBody(TraceJson));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.Equal(503, ex.Status);
        Assert.Equal(KnownErrorCode.InternalError, ex.KnownErrorCode);
        Assert.Single(Requests("GET", "/v1/traces/tr_1"));
    }

    [Fact]
    public async Task RetryAfter_AsAnHttpDateInThePast_IsRetriedAtOnce()
    {
        Sequence("/v1/traces/tr_1", "GET",
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", DateTimeOffset.UtcNow.AddSeconds(-5).ToString("R")),
            Response.Create().WithStatusCode(200).WithBody(TraceJson));
        using var client = CreateClient();

        var trace = await client.Traces.GetAsync("tr_1", Ct);

        Assert.Equal("tr_1", trace.TraceId);
        Assert.Equal(2, Requests("GET", "/v1/traces/tr_1").Count);
    }

    [Fact]
    public async Task Get_SlowerThanTotalTimeout_IsTimeoutWithStatusZero()
    {
        // A transport that never answers (not a delayed answer, which a late timer on a loaded machine could let
        // through), so the call ends only by its own timers: ten retries of 100 ms would take over a second, and the
        // 250 ms total must end it after two or three attempts (five allows for late timers on a loaded machine).
        var transport = new NeverAnswers();
        using var services = ClientOver(transport, o =>
        {
            o.MaxRetries = 10;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(100);
            o.TotalTimeout = TimeSpan.FromMilliseconds(250);
        });

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => services.GetRequiredService<TracesClient>().Traces.GetAsync("tr_1", Ct));

        Assert.Equal(0, ex.Status);
        Assert.Equal(KnownErrorCode.Timeout, ex.KnownErrorCode);
        Assert.InRange(transport.Requests, 1, 5);
    }

    [Fact]
    public async Task Get_AttemptTimeoutThenFastAnswer_IsRetried()
    {
        var firstAnswerDelay = TimeSpan.FromSeconds(3);
        Sequence("/v1/traces/tr_1", "GET",
            Response.Create().WithBody(TraceJson).WithDelay(firstAnswerDelay),
            Response.Create().WithBody(TraceJson));
        // 500 ms: well past a loaded CI machine's loopback answer (the second attempt must not time out too), well
        // short of the first answer's delay (the first must).
        using var client = CreateClient(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(500));

        var started = Stopwatch.StartNew();
        var trace = await client.Traces.GetAsync("tr_1", Ct);

        Assert.Equal("tr_1", trace.TraceId);
        // The answer came from the second attempt: the first was cut off, not awaited. (WireMock logs a request only once
        // it has answered it, so its log cannot show the first attempt yet.)
        Assert.True(started.Elapsed < firstAnswerDelay, $"answered after {started.Elapsed}: the first attempt was awaited");
    }

    [Fact]
    public async Task Get_FirstAttemptTimesOut_IsRetriedAsATimeout_WithTheSameRequestId()
    {
        // The first attempt runs before the resilience pipeline is entered (TracesCallHandler): its timeout must reach
        // the retry strategy as the pipeline's own would, a TimeoutRejectedException, and the retry carry the call's id.
        // A scripted transport, not WireMock: its first answer never comes (until the attempt's timer cancels it).
        var transport = new FirstHangsThenAnswers(TraceJson);
        var logs = new CapturingLoggerProvider();
        // 1 s: the first attempt ends only by this timer; the second must not.
        using var sp = ClientOver(transport, o => o.AttemptTimeout = TimeSpan.FromSeconds(1), new CapturingLoggerFactory(logs));

        var trace = await sp.GetRequiredService<TracesClient>().Traces.GetAsync("tr_1", Ct);

        Assert.Equal("tr_1", trace.TraceId);
        Assert.Equal(2, transport.RequestIds.Count);
        Assert.Matches("^req_[0-9a-f]{32}$", transport.RequestIds[0]);
        Assert.Equal(transport.RequestIds[0], transport.RequestIds[1]);
        var retry = Assert.Single(logs.Client(10));
        Assert.Equal(1, retry["Retry"]);
        Assert.Equal("TimeoutRejectedException", retry["Reason"]);

        // The attempt its own timer cancelled is not logged as a failure; the one answered is logged with its status.
        Assert.Empty(logs.Client(3));
        Assert.Equal(new[] { 200 }, logs.Client(2).Select(e => (int)e["StatusCode"]!));
    }

    private sealed class FirstHangsThenAnswers(string body) : HttpMessageHandler
    {
        public List<string> RequestIds { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int attempt;
            lock (RequestIds)
            {
                RequestIds.Add(request.Headers.GetValues("x-request-id").Single());
                attempt = RequestIds.Count;
            }

            if (attempt == 1)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"), RequestMessage = request };
        }
    }

    [Fact]
    public async Task CallerCancellation_IsOperationCanceled_NotMapped()
    {
        var transport = new NeverAnswers();
        using var services = ClientOver(transport);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = services.GetRequiredService<TracesClient>().Traces.GetAsync("tr_1", cts.Token);
        await transport.FirstRequest.WaitAsync(TimeSpan.FromSeconds(30), Ct); // cancelled while in flight, not before it
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(1, transport.Requests); // the caller's cancellation is not retried
    }

    /// <summary>A client over <paramref name="transport"/> instead of the network, with this class's fast options.</summary>
    private ServiceProvider ClientOver(HttpMessageHandler transport, Action<TracesClientOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var services = new ServiceCollection();
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        services.AddTracesClient(o => ApplyFastOptions(o, configure)).ConfigurePrimaryHttpMessageHandler(() => transport);
        return services.BuildServiceProvider();
    }

    /// <summary>A transport whose answers never come: each request waits until its token is cancelled.</summary>
    private sealed class NeverAnswers : HttpMessageHandler
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _requests;

        public int Requests => Volatile.Read(ref _requests);

        public Task FirstRequest => _first.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            _first.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }
    }

    [Theory]
    [InlineData("{\"trace_id\": \"tr_1\", \"status\": ")]
    [InlineData("{\"trace_id\": tr_1}")]
    [InlineData("not json at all")]
    [InlineData("{\"trace_id\":\"tr_1\",\"created_at\":\"yesterday\"}")]
    public async Task Create_MalformedOrTruncatedJsonBody_IsInvalidResponseWithRawBody_SentOnce(string body)
    {
        Server.Given(Request.Create().WithPath("/v1/traces").UsingPost()).RespondWith(Response.Create().WithStatusCode(201).WithBody(body));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct));

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
        Assert.Equal(201, ex.Status);
        Assert.Equal(body, ex.RawBody);
        Assert.IsNotType<System.Text.Json.JsonException>(ex);
        Assert.Single(Requests("POST", "/v1/traces"));
    }

    [Fact]
    public async Task Get_TruncatedJsonBody_IsInvalidResponse()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithBody("{\"trace_id\":\"tr_1\",\"eve"));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
        Assert.Equal("{\"trace_id\":\"tr_1\",\"eve", ex.RawBody);
    }

    [Fact]
    public async Task HtmlErrorPage_FromAProxy_IsTypedExceptionWithRawBody()
    {
        const string html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>";
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1/proof").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(502).WithHeader("Content-Type", "text/html").WithBody(html));
        using var client = CreateClient(o => o.MaxRetries = 1);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.GetProofAsync("tr_1", Ct));

        Assert.Equal(502, ex.Status);
        Assert.Null(ex.ErrorCode);
        Assert.Equal(html, ex.RawBody);
        Assert.Equal(2, Requests("GET", "/v1/traces/tr_1/proof").Count);
    }

    [Fact]
    public async Task HtmlPageWith200_OnATypedEndpoint_IsInvalidResponse()
    {
        Server.Given(Request.Create().WithPath("/v1/events").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/html").WithBody("<html>captive portal</html>"));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Events.RecordAsync(new RecordEventRequest { EventType = "e" }, Ct));

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
        Assert.Equal("<html>captive portal</html>", ex.RawBody);
    }

    [Fact]
    public async Task PostWithoutKey_429_IsRateLimitedWithRetryAfter_SentOnce()
    {
        Server.Given(Request.Create().WithPath("/v1/ai/attestations").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30").WithBody("""{"code":"rate_limited","status":429}"""));
        using var client = CreateClient(o => o.AutoIdempotencyKeys = false);

        var ex = await Assert.ThrowsAsync<TracesRateLimitedException>(() => client.Attestations.CreateAsync(new CreateAttestationRequest { Type = "output" }, Ct));

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
        Assert.Single(Requests("POST", "/v1/ai/attestations"));
    }

    [Fact]
    public async Task NoRetries_WhenMaxRetriesIsZero()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithStatusCode(503));
        using var client = CreateClient(o => o.MaxRetries = 0);

        await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.GetAsync("tr_1", Ct));

        Assert.Single(Requests("GET", "/v1/traces/tr_1"));
    }
}
