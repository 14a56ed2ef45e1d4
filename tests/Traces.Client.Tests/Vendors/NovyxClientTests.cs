using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Vendors.Novyx;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests.Vendors;

/// <summary>NovyxClient against WireMock: each endpoint's request and response, offset paging, errors, retries.</summary>
public sealed class NovyxClientTests : VendorTestBase
{
    private NovyxClient Client(Action<NovyxClientOptions>? configure = null) => new(Fast(new NovyxClientOptions(), configure));

    [Fact]
    public async Task StartTrace_PostsTheDocumentedAndSdkMembers_WithBearer()
    {
        Json("POST", "/v1/traces", 201, """{"trace_id":"trc_a1b2c3d4e5f6","status":"active","created_at":"2026-03-09T15:00:00Z"}""");
        using var client = Client();

        var trace = await client.StartTraceAsync(new NovyxStartTraceRequest
        {
            AgentId = "agent-001",
            Description = "Customer support conversation",
            Tags = ["support", "billing"],
            SessionId = "session-123",
            Metadata = new JsonObject { ["channel"] = "chat" },
        }, Ct);

        var sent = Single("POST", "/v1/traces");
        AssertBearer(sent);
        AssertJsonBody("""{"agent_id":"agent-001","description":"Customer support conversation","tags":["support","billing"],"session_id":"session-123","metadata":{"channel":"chat"}}""", sent);
        Assert.Equal("application/json; charset=utf-8", Header(sent, "Content-Type"));
        Assert.Equal("trc_a1b2c3d4e5f6", trace.TraceId);
        Assert.Equal(NovyxTraceStatus.Active, trace.Status);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 0, 0, TimeSpan.Zero), trace.CreatedAt);
    }

    [Fact]
    public async Task AddStep_SendsTheTypeAsGiven_LowercaseLikeTheOfficialSdk()
    {
        Json("POST", "/v1/traces/trc_1/steps", 201, """{"step_id":"stp_1","step_index":0,"type":"THOUGHT","integrity_chain_hash":"a7ff","was_interrupted":false}""");
        using var client = Client();

        var receipt = await client.AddStepAsync("trc_1", new NovyxAddStepRequest { Type = new StepType("thought"), Content = "User asks about billing" }, Ct);

        AssertJsonBody("""{"type":"thought","content":"User asks about billing"}""", Single("POST", "/v1/traces/trc_1/steps"));
        Assert.Equal(StepType.Thought, receipt.Type);
        Assert.Equal(0, receipt.StepIndex);
        Assert.Equal("a7ff", receipt.IntegrityChainHash);
    }

    [Fact]
    public async Task CompleteVerifyCertificatePublicKey_HitTheirPaths_AndGiveTheVerifierItsInputs()
    {
        Json("POST", "/v1/traces/trc_1/complete", 200, """{"trace_id":"trc_1","status":"completed","integrity_root_hash":"e3b0","signature":"AAEC","signature_algorithm":"RSA-PSS-SHA256","step_count":4,"signed_at":"2026-03-09T15:02:30Z"}""");
        Json("POST", "/v1/traces/trc_1/verify", 200, """{"valid":true,"chain_valid":true,"signature_valid":true,"discrepancies":null}""");
        Json("GET", "/v1/traces/trc_1/certificate", 200, """{"trace_id":"trc_1","integrity_root_hash":"e3b0","signature":"AAEC","public_key":"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}""");
        Json("GET", "/v1/traces/public-key", 200, """{"public_key":"not pem","algorithm":"RSA-PSS-SHA256"}""");
        using var client = Client();

        var completion = await client.CompleteTraceAsync("trc_1", Ct);
        var verification = await client.VerifyTraceAsync("trc_1", Ct);
        var certificate = await client.GetCertificateAsync("trc_1", Ct);
        var key = await client.GetPublicKeyAsync(Ct);

        Assert.True(string.IsNullOrEmpty(Single("POST", "/v1/traces/trc_1/complete").RequestMessage!.Body));
        AssertBearer(Single("GET", "/v1/traces/public-key"));
        Assert.Equal("e3b0", completion.IntegrityRootHash);
        Assert.Equal(new byte[] { 0, 1, 2 }, completion.SignatureBytes());
        Assert.Equal(4, completion.StepCount);
        Assert.True(verification.SignatureValid);
        Assert.Null(verification.Discrepancies);
        Assert.Equal(completion.IntegrityRootHash, certificate.IntegrityRootHash);
        Assert.Equal(new byte[] { 0, 1, 2 }, certificate.SignatureBytes());
        Assert.False(certificate.TryImportPublicKey(out _, out var why));
        Assert.NotNull(why);
        Assert.False(key.TryImportPublicKey(out _, out var noPem));
        Assert.Equal("No PEM block was found.", noPem);
    }

    [Fact]
    public async Task ListTraces_SendsEveryFilter()
    {
        Json("GET", "/v1/traces", 200, """{"traces":[{"trace_id":"trc_1","agent_id":"agent-001","status":"completed"}],"total":1}""");
        using var client = Client();

        var list = await client.ListTracesAsync(new NovyxTraceListFilter { AgentId = "agent-001", Status = NovyxTraceStatus.Completed, Limit = 10, Offset = 20 }, Ct);

        Assert.Equal("agent_id=agent-001&status=completed&limit=10&offset=20", RawQuery(Single("GET", "/v1/traces")));
        Assert.Equal(1, list.Total);
        Assert.Equal("trc_1", Assert.Single(list.Traces!).TraceId);
    }

    [Fact]
    public async Task ListAllTraces_AdvancesTheOffsetUntilTheTotal()
    {
        Sequence("GET", "/v1/traces",
            Response.Create().WithBody("""{"traces":[{"trace_id":"t1"},{"trace_id":"t2"}],"total":5}"""),
            Response.Create().WithBody("""{"traces":[{"trace_id":"t3"},{"trace_id":"t4"}],"total":5}"""),
            Response.Create().WithBody("""{"traces":[{"trace_id":"t5"}],"total":5}"""));
        using var client = Client();

        var ids = new List<string>();
        await foreach (var trace in client.ListAllTracesAsync(new NovyxTraceListFilter { Limit = 2 }, Ct))
        {
            ids.Add(trace.TraceId!);
        }

        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], ids);
        Assert.Equal(["limit=2&offset=0", "limit=2&offset=2", "limit=2&offset=4"], Requests("GET", "/v1/traces").Select(RawQuery));
    }

    [Fact]
    public async Task GetTrace_ReadsTheNestedShape_AndTheDocumentIsTheBytesSent()
    {
        const string Body = """{"trace":{"trace_id":"trc_1","agent_id":"agent-001","status":"completed"},"steps":[{"step_id":"stp_001","step_index":0,"type":"THOUGHT","content":"c","integrity_hash":"e3b0","chain_hash":"a7ff","previous_chain_hash":null,"created_at":"2026-03-09T15:00:01Z"}],"step_count":1}""";
        Json("GET", "/v1/traces/trc_1", 200, Body);
        using var client = Client();

        var details = await client.GetTraceAsync("trc_1", Ct);
        var document = await client.GetTraceDocumentAsync("trc_1", Ct);

        Assert.Equal("agent-001", details.Trace!.AgentId);
        Assert.Equal("a7ff", Assert.Single(details.Steps!).ChainHash);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(Body), document);
    }

    [Fact]
    public async Task Verify_NotCompleted_IsAStateErrorWithNovyxCodeAndMessage()
    {
        const string Body = """{"error":"Trace must be completed before verification","code":"TRACE_NOT_COMPLETED","status":400}""";
        Json("POST", "/v1/traces/trc_1/verify", 400, Body);
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.VerifyTraceAsync("trc_1", Ct));

        Assert.Equal(400, ex.Status);
        Assert.Equal("TRACE_NOT_COMPLETED", ex.ErrorCode);
        Assert.Equal(KnownErrorCode.TraceNotCompleted, ex.KnownErrorCode);
        Assert.StartsWith("Trace must be completed before verification (status 400, code TRACE_NOT_COMPLETED", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Body, ex.RawBody);
        Assert.Equal("Trace must be completed before verification", ex.ProblemDetails!.Detail);
        Assert.Single(Requests("POST", "/v1/traces/trc_1/verify"));
    }

    [Fact]
    public async Task GetTrace_NotFound_IsNotFoundException()
    {
        Json("GET", "/v1/traces/trc_x", 404, """{"error":"Trace not found","code":"NOT_FOUND","status":404}""");
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesNotFoundException>(() => client.GetTraceAsync("trc_x", Ct));

        Assert.Equal(KnownErrorCode.NotFound, ex.KnownErrorCode);
    }

    [Fact]
    public async Task Complete_503_IsSentExactlyOnce_NovyxHonoursNoIdempotencyKey()
    {
        Json("POST", "/v1/traces/trc_1/complete", 503, """{"error":"unavailable","code":"UNAVAILABLE","status":503}""");
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.CompleteTraceAsync("trc_1", Ct));

        Assert.Equal(503, ex.Status);
        Assert.Null(Header(Single("POST", "/v1/traces/trc_1/complete"), "Idempotency-Key"));
    }

    [Fact]
    public void Options_KeyFromItsOwnVariableOnly_DefaultBaseUrl()
    {
        var resolved = new NovyxClientOptions { ApiKey = "nram_x" }.Resolve();

        Assert.Equal(new Uri("https://novyx-ram-api.fly.dev/"), resolved.BaseUrl);
        Assert.Equal("nram_x", resolved.ApiKey);
        Assert.Throws<ArgumentException>(() => new NovyxClientOptions { AttemptTimeout = TimeSpan.FromMinutes(2) }.Resolve());
        Assert.Throws<InvalidOperationException>(() => new NovyxClientOptions { BaseUrl = new Uri("ftp://example.com") }.Resolve());
        var crlf = Assert.Throws<ArgumentException>(() => new NovyxClient(new NovyxClientOptions { ApiKey = "nram_a\r\nX-Injected: 1" }));
        Assert.Equal("NovyxClientOptions.ApiKey holds U+000D at index 6, which cannot be sent in an HTTP header; an API key is printable ASCII without spaces or line breaks. Nothing was sent. (Parameter 'ApiKey')", crlf.Message);
    }
}
