using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Traces.Client.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>Each endpoint of docs/api.md: the request the client sends (method, path, headers, body) and the response it reads.</summary>
public sealed class EndpointTests : WireMockTestBase
{
    private const string TraceId = "tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z";

    [Fact]
    public async Task Create_PostsBodyWithApiKeyAndFreshIdempotencyKey_ReturnsTrace()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithHeader("Location", $"/v1/traces/{TraceId}")
                .WithBody($$"""{"trace_id":"{{TraceId}}","status":"open","created_at":"2026-03-17T12:00:00.000000Z","label":"Vendor Onboarding, Acme Corp","tags":["support"],"metadata":{"department":"procurement"} }"""));
        using var client = CreateClient();

        var trace = await client.Traces.CreateAsync(
            new CreateTraceRequest { Label = "Vendor Onboarding, Acme Corp", Tags = ["support"], Metadata = new JsonObject { ["department"] = "procurement" } }, Ct);
        await client.Traces.CreateAsync(new CreateTraceRequest { Label = "second" }, Ct);

        Assert.Equal(TraceId, trace.TraceId);
        Assert.Equal(TraceStatus.Open, trace.Status);
        Assert.Equal("procurement", trace.Metadata!["department"]!.GetValue<string>());
        var sent = Requests("POST", "/v1/traces");
        Assert.Equal(2, sent.Count);
        // Bearer by default: what Invoance's SDKs send (FACTS.md); the local server takes it as well as x-api-key.
        Assert.Equal($"Bearer {ApiKey}", Header(sent[0], "Authorization"));
        Assert.Null(Header(sent[0], "x-api-key"));
        Assert.StartsWith("application/json", Header(sent[0], "Content-Type"));
        Assert.StartsWith("req_", Header(sent[0], "x-request-id"), StringComparison.Ordinal);
        Assert.NotEqual(Header(sent[0], "x-request-id"), Header(sent[1], "x-request-id"));
        var key1 = Header(sent[0], "Idempotency-Key");
        var key2 = Header(sent[1], "Idempotency-Key");
        Assert.False(string.IsNullOrEmpty(key1));
        Assert.NotEqual(key1, key2);
        // Version 7 UUIDs (RFC 9562 §5.7): version nibble 7, variant 10xx, led by their Unix milliseconds (the later
        // call's no earlier; within one millisecond the rest is random).
        Assert.Matches("^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$", key1);
        Assert.Matches("^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$", key2);
        Assert.True(string.CompareOrdinal(key1![..12], key2![..12]) <= 0, $"{key1} should not be later than {key2}");
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Convert.ToInt64(key2![..12], 16), 0, 60_000);
        JsonSemantics.AssertEquivalent(
            JsonNode.Parse("""{"label":"Vendor Onboarding, Acme Corp","tags":["support"],"metadata":{"department":"procurement"}}"""),
            JsonNode.Parse(sent[0].RequestMessage!.Body!));
    }

    [Fact]
    public async Task Create_WithCallerIdempotencyKeyAndApiKeyHeaderStyle_SendsThem()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody($$"""{"trace_id":"{{TraceId}}","status":"open"}"""));
        using var client = CreateClient(o => o.AuthHeaderStyle = TracesAuthHeaderStyle.ApiKeyHeader);

        await client.Traces.CreateAsync(new CreateTraceRequest { AgentId = "agent-001", IdempotencyKey = "my-key-1" }, Ct);

        var sent = Assert.Single(Requests("POST", "/v1/traces"));
        Assert.Equal(ApiKey, Header(sent, "x-api-key"));
        Assert.Null(Header(sent, "Authorization"));
        Assert.Equal("my-key-1", Header(sent, "Idempotency-Key"));
        Assert.Equal("""{"agent_id":"agent-001"}""", sent.RequestMessage!.Body);
    }

    [Fact]
    public async Task List_SendsFiltersAsQuery_ReturnsPage()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                """{"traces":[{"trace_id":"tr_1","status":"sealed","event_count":7,"created_at":"2026-03-17T12:00:00.000000Z"}],"limit":10,"total":12,"has_more":true,"next_cursor":"c2"}"""));
        using var client = CreateClient();

        var page = await client.Traces.ListAsync(new TraceListFilter
        {
            Status = TraceStatus.Sealed,
            AgentId = "agent-001",
            From = new DateTimeOffset(2026, 3, 17, 13, 0, 0, TimeSpan.FromHours(1)),
            To = new DateTimeOffset(2026, 3, 18, 0, 0, 0, TimeSpan.Zero),
            Limit = 10,
            Cursor = "c1",
        }, Ct);

        Assert.Equal("tr_1", Assert.Single(page.Traces!).TraceId);
        Assert.Equal("c2", page.NextCursor);
        Assert.True(page.HasMore);
        var query = Assert.Single(Requests("GET", "/v1/traces")).RequestMessage!.Query!;
        Assert.Equal("sealed", query["status"].Single());
        Assert.Equal("agent-001", query["agent_id"].Single());
        Assert.Equal("2026-03-17T12:00:00.000000Z", query["from"].Single());
        Assert.Equal("2026-03-18T00:00:00.000000Z", query["to"].Single());
        Assert.Equal("10", query["limit"].Single());
        Assert.Equal("c1", query["cursor"].Single());
    }

    [Fact]
    public async Task List_WithLimitOutOfRange_ThrowsBeforeSending()
    {
        using var client = CreateClient();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Traces.ListAsync(new TraceListFilter { Limit = 101 }, Ct));
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task ListAll_FollowsNextCursorAcrossPages()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").WithParam("cursor", "p2").UsingGet())
            .RespondWith(Response.Create().WithBody("""{"traces":[{"trace_id":"tr_3"}],"limit":2,"total":3,"has_more":false,"next_cursor":null}"""));
        Server.Given(Request.Create().WithPath("/v1/traces").UsingGet()).AtPriority(10)
            .RespondWith(Response.Create().WithBody("""{"traces":[{"trace_id":"tr_1"},{"trace_id":"tr_2"}],"limit":2,"total":3,"has_more":true,"next_cursor":"p2"}"""));
        using var client = CreateClient();

        var ids = new List<string>();
        await foreach (var trace in client.Traces.ListAllAsync(new TraceListFilter { Limit = 2 }, Ct))
        {
            ids.Add(trace.TraceId!);
        }

        Assert.Equal(["tr_1", "tr_2", "tr_3"], ids);
        Assert.Equal(2, Requests("GET", "/v1/traces").Count);
    }

    [Fact]
    public async Task ListAll_WhenCancelledBetweenPages_StopsWithoutFetchingMore()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").UsingGet())
            .RespondWith(Response.Create().WithBody("""{"traces":[{"trace_id":"tr_1"}],"limit":1,"total":9,"has_more":true,"next_cursor":"next"}"""));
        using var client = CreateClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var trace in client.Traces.ListAllAsync(null, CancellationToken.None).WithCancellation(cts.Token))
            {
                cts.Cancel();
            }
        });
        Assert.Single(Requests("GET", "/v1/traces"));
    }

    [Fact]
    public async Task Get_ReturnsTraceWithEntries()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}").UsingGet())
            .RespondWith(Response.Create().WithBody($$"""
                {"trace_id":"{{TraceId}}","status":"sealed","event_count":1,"sealed_at":"2026-03-17T14:30:00.000000Z","composite_hash":"sha256:aa","error":null,
                 "events":[{"index":0,"event_id":"evt_1","event_type":"document.anchored","payload_hash":"sha256:bb","previous_chain_hash":null,"chain_hash":"sha256:cc","ingested_at":"2026-03-17T12:05:00.000000Z"}]}
                """));
        using var client = CreateClient();

        var trace = await client.Traces.GetAsync(TraceId, Ct);

        Assert.Equal(TraceStatus.Sealed, trace.Status);
        var entry = Assert.Single(trace.Events!);
        Assert.Equal("document.anchored", entry.EventType);
        Assert.Equal(0, entry.Index);
        var get = Assert.Single(Requests("GET", $"/v1/traces/{TraceId}"));
        Assert.Equal($"Bearer {ApiKey}", Header(get, "Authorization"));
        // Events are asked for in Invoance's pages of 200 (FACTS.md: event_page, event_limit).
        Assert.Equal("?event_page=1&event_limit=200", new Uri(get.RequestMessage!.AbsoluteUrl).Query);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Get_WithBlankTraceId_ThrowsArgumentException(string traceId)
    {
        using var client = CreateClient();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.Traces.GetAsync(traceId, Ct));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.Traces.GetAsync(null!, Ct));
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task AddStep_PostsStepToTrace()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/steps").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody(
                """{"step_id":"evt_9","step_index":4,"integrity_chain_hash":"sha256:cc","event_id":"evt_9","payload_hash":"sha256:aa","content_hash":"sha256:bb","ingested_at":"2026-03-17T12:05:00.000000Z"}"""));
        using var client = CreateClient();

        var step = await client.Traces.AddStepAsync(TraceId, new AddStepRequest { Type = StepType.Action, Content = "Looking up account billing info", Metadata = new JsonObject { ["model"] = "gpt-4.1" } }, Ct);

        Assert.Equal(4, step.StepIndex);
        Assert.Equal("sha256:cc", step.IntegrityChainHash);
        var sent = Assert.Single(Requests("POST", $"/v1/traces/{TraceId}/steps"));
        Assert.Equal("""{"type":"ACTION","content":"Looking up account billing info","metadata":{"model":"gpt-4.1"}}""", sent.RequestMessage!.Body);
        Assert.NotNull(Header(sent, "Idempotency-Key"));
    }

    [Fact]
    public async Task Events_Documents_Attestations_PostTheirBodies()
    {
        const string receipt = """{"event_id":"evt_1","attestation_id":"evt_1","event_type":"x","trace_id":"tr_1","index":3,"payload_hash":"sha256:a","content_hash":"sha256:b","previous_chain_hash":"sha256:c","chain_hash":"sha256:d","ingested_at":"2026-03-17T12:05:00.000000Z","key_id":"sha256:e","signature":"ed25519:f"}""";
        foreach (var path in new[] { "/v1/events", "/v1/document/anchor", "/v1/ai/attestations" })
        {
            Server.Given(Request.Create().WithPath(path).UsingPost()).RespondWith(Response.Create().WithStatusCode(201).WithBody(receipt));
        }

        using var client = CreateClient();

        var evt = await client.Events.RecordAsync(new RecordEventRequest { EventType = "invoice.received", Payload = new JsonObject { ["invoice_number"] = "INV-2026-001", ["amount"] = 5000 }, TraceId = "tr_1" }, Ct);
        var doc = await client.Documents.AnchorAsync(new AnchorDocumentRequest { DocumentHash = "sha256:" + new string('a', 64), DocumentRef = "contract.pdf", TraceId = "tr_1" }, Ct);
        var att = await client.Attestations.CreateAsync(new CreateAttestationRequest { Type = "output", Input = "Summarize invoice INV-2026-001", Output = "Commercial invoice for $5,000…", ModelProvider = "openai", ModelName = "gpt-4.1", TraceId = "tr_1" }, Ct);

        Assert.Equal("ed25519:f", evt.Signature);
        Assert.Equal("evt_1", doc.DocumentId);
        Assert.Equal("evt_1", att.AttestationId);
        Assert.Equal(3, att.Index);
        JsonSemantics.AssertEquivalent(JsonNode.Parse("""{"event_type":"invoice.received","payload":{"invoice_number":"INV-2026-001","amount":5000},"trace_id":"tr_1"}"""),
            JsonNode.Parse(Assert.Single(Requests("POST", "/v1/events")).RequestMessage!.Body!));
        // Invoance's bodies: the bare hex hash (FACTS.md) and the nested attestation.
        JsonSemantics.AssertEquivalent(JsonNode.Parse($$"""{"document_hash":"{{new string('a', 64)}}","document_ref":"contract.pdf","trace_id":"tr_1"}"""),
            JsonNode.Parse(Assert.Single(Requests("POST", "/v1/document/anchor")).RequestMessage!.Body!));
        JsonSemantics.AssertEquivalent(JsonNode.Parse("""{"type":"output","payload":{"input":"Summarize invoice INV-2026-001","output":"Commercial invoice for $5,000…"},"context":{"model_provider":"openai","model_name":"gpt-4.1"},"trace_id":"tr_1"}"""),
            JsonNode.Parse(Assert.Single(Requests("POST", "/v1/ai/attestations")).RequestMessage!.Body!));
    }

    [Fact]
    public async Task AnchorFile_FromPathAndStream_SendsOnlyTheSha256()
    {
        Server.Given(Request.Create().WithPath("/v1/document/anchor").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("""{"event_id":"evt_1","event_type":"document.anchored"}"""));
        var content = new byte[300_000];
        new Random(42).NextBytes(content);
        var expected = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = Path.GetTempFileName();
        await File.WriteAllBytesAsync(path, content, Ct);
        using var client = CreateClient();
        try
        {
            await client.Documents.AnchorFileAsync(path, "invoice.pdf", "tr_1", Ct);
            using var stream = new MemoryStream(content);
            await client.Documents.AnchorFileAsync(stream, "invoice.pdf", cancellationToken: Ct);
        }
        finally
        {
            File.Delete(path);
        }

        var sent = Requests("POST", "/v1/document/anchor");
        Assert.Equal(2, sent.Count);
        Assert.Equal($$"""{"document_hash":"{{expected}}","document_ref":"invoice.pdf","trace_id":"tr_1"}""", sent[0].RequestMessage!.Body);
        Assert.Equal($$"""{"document_hash":"{{expected}}","document_ref":"invoice.pdf"}""", sent[1].RequestMessage!.Body);
        Assert.All(sent, s => Assert.True(s.RequestMessage!.Body!.Length < 200));
    }

    [Fact]
    public async Task GetProof_Certificate_PublicKeys_ReadVerificationTypes()
    {
        var bundle = Traces.TestSupport.TestTraceSigner.Default.CreateBundle(TraceId, Traces.TestSupport.TestTraceSigner.SampleEntries(3));
        var bundleJson = System.Text.Json.JsonSerializer.Serialize(bundle, Traces.Verification.Bundles.TracesJsonContext.Default.ProofBundle);
        var certJson = System.Text.Json.JsonSerializer.Serialize(bundle.Certificate!, Traces.Verification.Bundles.TracesJsonContext.Default.TraceCertificate);
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/proof").UsingGet()).RespondWith(Response.Create().WithBody(bundleJson));
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/certificate").UsingGet()).RespondWith(Response.Create().WithBody(certJson));
        Server.Given(Request.Create().WithPath("/v1/traces/public-key").UsingGet()).RespondWith(Response.Create().WithBody(
            """{"public_key":"-----BEGIN PUBLIC KEY-----\n...","algorithm":"rsa-pss-sha256","keys":[{"key_id":"sha256:1","algorithm":"ed25519","public_key":"ed25519_pk:00","use":"entries"}]}"""));
        using var client = CreateClient();

        var proof = await client.Traces.GetProofAsync(TraceId, Ct);
        var certificate = await client.Traces.GetCertificateAsync(TraceId, Ct);
        var keys = await client.Traces.GetPublicKeysAsync(Ct);

        Assert.Equal(3, proof.Events!.Count);
        Assert.Equal(bundle.CompositeHash, proof.CompositeHash);
        Assert.Equal(bundle.Certificate!.Signature, certificate.Signature);
        Assert.Equal("rsa-pss-sha256", keys.Algorithm);
        Assert.Equal("entries", Assert.Single(keys.Keys!).Use);
    }

    [Fact]
    public async Task Verify_PostsToServerVerify()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/verify").UsingPost()).RespondWith(Response.Create().WithBody(
            """{"trace_id":"tr_1","valid":false,"verdict":"invalid","chain_valid":false,"signature_valid":true,"composite_valid":true,"event_count":7,"discrepancies":[{"code":"chain_mismatch","message":"m","index":2,"event_id":"evt_2"}],"first_invalid_event":2,"verified_at":"2026-03-17T14:31:00.000000Z"}"""));
        using var client = CreateClient();

        var result = await client.Traces.VerifyAsync(TraceId, Ct);

        Assert.False(result.Valid);
        Assert.Equal("chain_mismatch", Assert.Single(result.Discrepancies!).Code);
        Assert.Equal(2, result.FirstInvalidEvent!.GetValue<int>());
    }
}
