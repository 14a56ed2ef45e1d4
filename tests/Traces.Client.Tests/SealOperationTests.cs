using System.Diagnostics;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Operations;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>Sealing as a long-running operation: polls, Retry-After, failure, cancellation, timeout, rehydration.</summary>
public sealed class SealOperationTests : WireMockTestBase
{
    private const string Id = "tr_seal";
    private const string SealingJson = $$"""{"trace_id":"{{Id}}","status":"sealing","event_count":2}""";
    private const string SealedJson = $$"""{"trace_id":"{{Id}}","status":"sealed","event_count":2,"sealed_at":"2026-03-17T14:30:00.000000Z","composite_hash":"sha256:aa","integrity_root_hash":"sha256:bb","seal_event_id":"evt_seal"}""";

    private void SealAccepted(string verb = "seal", string? retryAfter = null)
    {
        var response = Response.Create().WithStatusCode(202).WithHeader("Location", $"/v1/traces/{Id}")
            .WithBody($$"""{"trace_id":"{{Id}}","status":"sealing","message":"Seal initiated. Poll GET /v1/traces/{{Id}} for completion."}""");
        if (retryAfter is not null)
        {
            response = response.WithHeader("Retry-After", retryAfter);
        }

        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}/{verb}").UsingPost()).RespondWith(response);
    }

    private void Polls(params string[] bodies)
    {
        for (var i = 0; i < bodies.Length; i++)
        {
            var given = Server.Given(Request.Create().WithPath($"/v1/traces/{Id}").UsingGet()).InScenario("poll");
            if (i > 0)
            {
                given = given.WhenStateIs($"p{i}");
            }

            (i < bodies.Length - 1 ? given.WillSetStateTo($"p{i + 1}") : given).RespondWith(Response.Create().WithBody(bodies[i]));
        }
    }

    [Fact]
    public async Task Poll_OfATraceStillSealing_ReadsOnlyTheFirstEventPage_AndFollowsThePagesOnceSealed()
    {
        const string Page1 = """[{"event_id":"evt_1","event_type":"a","payload_hash":"sha256:aa","ingested_at":"2026-03-17T12:05:00.000000Z"}]""";
        const string Page2 = """[{"event_id":"evt_2","event_type":"b","payload_hash":"sha256:bb","ingested_at":"2026-03-17T12:06:00.000000Z"}]""";
        static string Trace(string status, string events, int page, bool hasMore) =>
            $$"""{"trace_id":"{{Id}}","status":"{{status}}","event_count":2,"events":{{events}},"event_page":{{page}},"event_limit":200,"event_total":2,"event_has_more":{{(hasMore ? "true" : "false")}}}""";
        SealAccepted();
        var first = Request.Create().WithPath($"/v1/traces/{Id}").WithParam("event_page", "1").UsingGet();
        Server.Given(first).InScenario("paged").WillSetStateTo("s1").RespondWith(Response.Create().WithBody(Trace("sealing", Page1, 1, true)));
        Server.Given(first).InScenario("paged").WhenStateIs("s1").WillSetStateTo("s2").RespondWith(Response.Create().WithBody(Trace("sealing", Page1, 1, true)));
        Server.Given(first).InScenario("paged").WhenStateIs("s2").RespondWith(Response.Create().WithBody(Trace("sealed", Page1, 1, true)));
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}").WithParam("event_page", "2").UsingGet())
            .RespondWith(Response.Create().WithBody(Trace("sealed", Page2, 2, false)));
        using var client = CreateClient();

        var operation = await client.Traces.SealAsync(Id, Ct);
        var polled = await operation.UpdateStatusAsync(Ct);
        var sealedTrace = await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(5), Ct);

        // While sealing, a poll reads one page, whatever the trace's size.
        Assert.Equal(TraceStatus.Sealing, polled.Status);
        Assert.Equal(["evt_1"], polled.Events!.Select(e => e.EventId!));
        Assert.True(polled.EventHasMore);
        // Sealed: every entry, joined.
        Assert.Equal(["evt_1", "evt_2"], sealedTrace.Events!.Select(e => e.EventId!));
        Assert.False(sealedTrace.EventHasMore);
        var queries = Server.LogEntries.Where(e => e.RequestMessage!.Method == "GET")
            .Select(e => new Uri(e.RequestMessage!.AbsoluteUrl).Query).ToList();
        Assert.Equal(
            ["?event_page=1&event_limit=200", "?event_page=1&event_limit=200", "?event_page=1&event_limit=200", "?event_page=2&event_limit=200"],
            queries);
    }

    [Fact]
    public async Task Seal_SealingThenSealedOverSeveralPolls_Completes()
    {
        SealAccepted();
        Polls(SealingJson, SealingJson, SealingJson, SealedJson);
        using var client = CreateClient();

        var operation = await client.Traces.SealAsync(Id, Ct);

        Assert.Equal(Id, operation.Id);
        Assert.Equal(TraceStatus.Sealing, operation.Status);
        Assert.False(operation.HasCompleted);
        Assert.False(operation.HasValue);
        Assert.Throws<InvalidOperationException>(() => operation.Value);

        var sealedTrace = await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(5), Ct);

        Assert.True(operation.HasCompleted);
        Assert.True(operation.HasValue);
        Assert.Equal(TraceStatus.Sealed, operation.Status);
        Assert.Equal("sha256:aa", sealedTrace.CompositeHash);
        Assert.Same(sealedTrace, operation.Value);
        Assert.Equal(4, Requests("GET", $"/v1/traces/{Id}").Count);
        Assert.NotNull(Header(Assert.Single(Requests("POST", $"/v1/traces/{Id}/seal")), "Idempotency-Key"));
    }

    [Fact]
    public async Task UpdateStatus_PollsOnce()
    {
        SealAccepted();
        Polls(SealingJson, SealedJson);
        using var client = CreateClient();
        var operation = await client.Traces.SealAsync(Id, Ct);

        await operation.UpdateStatusAsync(Ct);
        Assert.False(operation.HasCompleted);
        await operation.UpdateStatusAsync(Ct);
        Assert.True(operation.HasCompleted);
        Assert.Equal(2, Requests("GET", $"/v1/traces/{Id}").Count);
    }

    [Fact]
    public async Task SealAndWait_ReturnsSealedTrace()
    {
        SealAccepted();
        Polls(SealingJson, SealedJson);
        using var client = CreateClient();

        var sealedTrace = await client.Traces.SealAndWaitAsync(Id, Ct);

        Assert.Equal(TraceStatus.Sealed, sealedTrace.Status);
    }

    [Fact]
    public async Task Complete_UsesTheNovyxPath()
    {
        SealAccepted("complete");
        Polls(SealedJson);
        using var client = CreateClient();

        var operation = await client.Traces.CompleteAsync(Id, Ct);
        await operation.WaitForCompletionAsync(null, Ct);

        Assert.Single(Requests("POST", $"/v1/traces/{Id}/complete"));
        Assert.True(operation.HasValue);
    }

    [Fact]
    public async Task Complete_NovyxSynchronousAnswer_FetchesSealedTraceAtOnce()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}/complete").UsingPost())
            .RespondWith(Response.Create().WithBody("""{"integrity_root_hash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","signature":"MGYCMQDJnGm1LQ3..."}"""));
        Polls(SealedJson);
        using var client = CreateClient(o =>
        {
            o.SealPollingInterval = TimeSpan.FromSeconds(5);
            o.MaxSealPollingInterval = TimeSpan.FromSeconds(5);
        });
        var watch = Stopwatch.StartNew();

        var operation = await client.Traces.CompleteAsync(Id, Ct);
        Assert.Equal(TraceStatus.Sealed, operation.Status);
        Assert.Equal("MGYCMQDJnGm1LQ3...", operation.InitialResponse!.Signature);
        await operation.WaitForCompletionAsync(null, Ct);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task FailedSeal_SurfacesServerErrorCode()
    {
        SealAccepted();
        Polls(SealingJson, $$"""{"trace_id":"{{Id}}","status":"failed","error":{"code":"signing_unavailable","message":"HSM offline"} }""");
        using var client = CreateClient();
        var operation = await client.Traces.SealAsync(Id, Ct);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => operation.WaitForCompletionAsync(null, Ct));

        Assert.Equal("signing_unavailable", ex.ErrorCode);
        Assert.Contains("HSM offline", ex.Message, StringComparison.Ordinal);
        Assert.True(operation.HasCompleted);
        Assert.False(operation.HasValue);
        Assert.Equal(TraceStatus.Failed, operation.Status);
        var fromValue = Assert.Throws<TracesApiException>(() => operation.Value);
        Assert.Equal("signing_unavailable", fromValue.ErrorCode);
    }

    [Fact]
    public async Task EmptyTrace_IsValidationExceptionFromSeal()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}/seal").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(422).WithBody("""{"status":422,"code":"empty_trace"}"""));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.Traces.SealAsync(Id, Ct));

        Assert.Equal(KnownErrorCode.EmptyTrace, ex.KnownErrorCode);
    }

    [Fact]
    public async Task CancellationMidWait_ThrowsOperationCanceled()
    {
        SealAccepted();
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}").UsingGet()).RespondWith(Response.Create().WithBody(SealingJson));
        using var client = CreateClient();
        var operation = await client.Traces.SealAsync(Id, Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var waiting = operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(10), cts.Token);
        // Cancelled once a poll has been answered (WireMock logs a request when it has answered it), not after a fixed
        // time that a loaded machine might spend before the first poll.
        var waited = Stopwatch.StartNew();
        while (Requests("GET", $"/v1/traces/{Id}").Count == 0 && !waiting.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10, Ct);
        }

        Assert.NotEmpty(Requests("GET", $"/v1/traces/{Id}"));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.False(operation.HasCompleted);
    }

    [Fact]
    public async Task SealTimeout_IsTracesApiExceptionWithTimeoutCode()
    {
        SealAccepted();
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}").UsingGet()).RespondWith(Response.Create().WithBody(SealingJson));
        // The POST (the class's first call: JIT on a loaded machine) is made with the usual timeouts, so it cannot time
        // out itself; the wait is made by a client whose seal wait is short (it may not be shorter than a call's total
        // timeout, and a poll's own 2 s are far from what a loopback GET takes).
        using var sealing = CreateClient();
        await sealing.Traces.SealAsync(Id, Ct);
        using var client = CreateClient(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(2);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
            o.SealTimeout = TimeSpan.FromSeconds(3);
        });
        var operation = new SealTraceOperation(client, Id);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => operation.WaitForCompletionAsync(null, Ct));

        Assert.Equal(KnownErrorCode.Timeout, ex.KnownErrorCode);
        Assert.Equal(0, ex.Status);
        // The seal wait's own timeout, not a poll's.
        Assert.StartsWith($"Trace {Id} was not sealed within 00:00:03", ex.Message);
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
    }

    [Fact]
    public async Task Polling_BacksOffFromTheGivenInterval()
    {
        SealAccepted();
        Polls(SealingJson, SealingJson, SealingJson, SealingJson, SealedJson);
        using var client = CreateClient(o => o.MaxSealPollingInterval = TimeSpan.FromMilliseconds(80));
        var operation = await client.Traces.SealAsync(Id, Ct);
        var watch = Stopwatch.StartNew();

        await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(20), Ct);

        // 20 + 40 + 80 + 80 + 80 ms, not 5 × 20 ms.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Polling_HonoursRetryAfterFromSeal()
    {
        SealAccepted(retryAfter: "1");
        Polls(SealedJson);
        using var client = CreateClient();
        var operation = await client.Traces.SealAsync(Id, Ct);
        var watch = Stopwatch.StartNew();

        await operation.WaitForCompletionAsync(TimeSpan.FromMilliseconds(5), Ct);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Rehydrated_FromTraceId_ResumesWaiting()
    {
        Polls(SealingJson, SealedJson);
        using var client = CreateClient();

        var operation = new SealTraceOperation(client, Id);
        Assert.Null(operation.Status);
        Assert.Null(operation.InitialResponse);
        Assert.False(operation.HasCompleted);
        var sealedTrace = await operation.WaitForCompletionAsync(null, Ct);

        Assert.Equal("evt_seal", sealedTrace.SealEventId);
        Assert.Empty(Requests("POST", $"/v1/traces/{Id}/seal"));
        Assert.Equal(2, Requests("GET", $"/v1/traces/{Id}").Count);
    }

    [Fact]
    public void Rehydration_ValidatesArguments()
    {
        using var client = CreateClient();
        Assert.ThrowsAny<ArgumentException>(() => new SealTraceOperation(client, ""));
        Assert.Throws<ArgumentNullException>(() => new SealTraceOperation(null!, Id));
    }
}
