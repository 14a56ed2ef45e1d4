using System.Net;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Traces.Client.Errors;
using Traces.Client.Http;
using Traces.Client.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>
/// <see cref="TracesClient"/> pointed at a stand-in for Invoance that serves only Invoance's paths
/// (tests/vectors/invoance/FACTS.md "Wire") with the seed's and the SDK models' response shapes. Every request the
/// client makes must be one Invoance serves, with Invoance's field names.
/// </summary>
public sealed partial class InvoanceWireTests : WireMockTestBase
{
    private const string TraceId = "tr_abc123";
    private const string SeedLabel = "Vendor Onboarding, Acme Corp";

    /// <summary>Invoance's paths, as method and path pattern (FACTS.md "Wire"; the seed's traces page).</summary>
    internal static readonly (string Method, string Path)[] InvoancePaths =
    [
        ("POST", "/v1/traces"),
        ("GET", "/v1/traces"),
        ("GET", "/v1/traces/{traceId}"),
        ("DELETE", "/v1/traces/{traceId}"),
        ("POST", "/v1/traces/{traceId}/seal"),
        ("GET", "/v1/traces/{traceId}/proof"),
        ("GET", "/v1/traces/{traceId}/proof/pdf"),
        ("POST", "/v1/events"),
        ("GET", "/v1/events"),
        ("POST", "/v1/document/anchor"),
        ("POST", "/v1/ai/attestations"),
        ("GET", "/v1/me"),
    ];

    /// <summary>The client's calls that Invoance does not serve: the local server's extensions (docs/api.md), used only when called by name.</summary>
    internal static readonly (string Method, string Path)[] Extensions =
    [
        ("POST", "/v1/traces/{traceId}/steps"),     // Novyx agent steps
        ("POST", "/v1/traces/{traceId}/complete"),  // Novyx's name for seal
        ("POST", "/v1/traces/{traceId}/verify"),    // the server's own check
        ("GET", "/v1/traces/{traceId}/certificate"),
        ("GET", "/v1/traces/public-key"),
    ];

    [Fact]
    public void EveryPathTheClientCanCall_IsInvoancesOrAMarkedExtension()
    {
        // The Refit interface's methods and the routes the client sends by hand: together, every path it can call.
        var calls = typeof(ITracesApi).GetMethods()
            .Select(m => m.GetCustomAttribute<Refit.HttpMethodAttribute>()!)
            .Select(a => (Method: a.Method.Method, a.Path))
            .Concat(ClientRoute.All.Select(r => (Method: r.Method.Method, Path: r.Template)))
            .ToList();

        Assert.Equal(calls.Count, calls.Distinct().Count());
        Assert.All(calls, call => Assert.True(InvoancePaths.Contains(call) ^ Extensions.Contains(call), $"{call.Method} {call.Path} is neither Invoance's nor a marked extension"));
        // Every Invoance path has a client call, and every extension is still a call (the lists do not rot).
        Assert.Equal(InvoancePaths.Concat(Extensions).OrderBy(c => c.Path).ThenBy(c => c.Method), calls.OrderBy(c => c.Path).ThenBy(c => c.Method));
    }

    [Fact]
    public async Task EveryHandBuiltCall_SendsItsRoute()
    {
        // The calls built without Refit (GetAsync, GetEventPageAsync, the seal poll, AddStepAsync) send exactly the
        // routes the check above reads, with the trace id in place of its variable.
        ServeInvoance();
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/steps").UsingPost()).RespondWith(Json(201,
            """{"step_id":"evt_002","step_index":1,"integrity_chain_hash":"sha256:2d71","event_id":"evt_002","payload_hash":"sha256:8e35","content_hash":"sha256:3fc9","ingested_at":"2026-03-17T12:06:00Z"}"""));
        using var client = CreateClient();

        await client.Traces.GetAsync(TraceId, Ct);
        await client.Traces.GetEventPageAsync(TraceId, 2, 50, Ct);
        await new Operations.SealTraceOperation(client, TraceId).UpdateStatusAsync(Ct);
        await client.Traces.AddStepAsync(TraceId, new AddStepRequest { Type = StepType.Action, Content = "Called get_weather." }, Ct);

        Assert.Equal(
            [
                "GET /v1/traces/tr_abc123?event_page=1&event_limit=200",
                "GET /v1/traces/tr_abc123?event_page=2&event_limit=50",
                "GET /v1/traces/tr_abc123?event_page=1&event_limit=200",
                "POST /v1/traces/tr_abc123/steps",
            ],
            Server.LogEntries.OrderBy(e => e.RequestMessage!.DateTime).Select(e => $"{e.RequestMessage!.Method} {e.RequestMessage.Path}{Query(e.RequestMessage.RawQuery)}"));
        Assert.Equal(["GET /v1/traces/tr_abc123", "POST /v1/traces/tr_abc123/steps"], ClientRoute.All.Select(r => $"{r.Method} {r.PathFor(TraceId)}"));
    }

    private static string Query(string? raw) => string.IsNullOrEmpty(raw) ? string.Empty : raw.StartsWith('?') ? raw : "?" + raw;

    [Fact]
    public async Task InvoanceWorkflow_SendsInvoancesBodies_AndReadsItsAnswers()
    {
        ServeInvoance();
        using var client = CreateClient();
        var content = Encoding.UTF8.GetBytes("Commercial invoice INV-2026-001");
        var documentHex = Convert.ToHexStringLower(SHA256.HashData(content));

        var trace = await client.Traces.CreateAsync(new CreateTraceRequest
        {
            Label = SeedLabel,
            Metadata = new JsonObject { ["department"] = "procurement", ["initiated_by"] = "j.smith@acme.com" },
        }, Ct);
        var evt = await client.Events.RecordAsync(new RecordEventRequest
        {
            EventType = "invoice.received",
            Payload = new JsonObject { ["invoice_number"] = "INV-2026-001", ["amount"] = 5000 },
            TraceId = trace.TraceId,
        }, Ct);
        using var file = new MemoryStream(content);
        var doc = await client.Documents.AnchorFileAsync(file, "INV-2026-001", trace.TraceId, Ct);
        var att = await client.Attestations.CreateAsync(new CreateAttestationRequest
        {
            Type = "output",
            Input = "Summarize invoice INV-2026-001",
            Output = "Commercial invoice for $5,000…",
            ModelProvider = "openai",
            ModelName = "gpt-4.1",
            ModelVersion = "2025-04-14",
            Subject = new JsonObject { ["user_id"] = "u_42", ["session_id"] = "s_7" },
            TraceId = trace.TraceId,
        }, Ct);
        var sealedTrace = await client.Traces.SealAndWaitAsync(TraceId, Ct);

        Assert.Equal(TraceId, trace.TraceId);
        Assert.Equal(SeedLabel, trace.Label);
        Assert.Equal("evt_001", evt.EventId);
        Assert.Equal(new DateTimeOffset(2026, 3, 17, 12, 5, 0, TimeSpan.Zero), evt.IngestedAt);
        Assert.Equal("evt_doc", doc.EventId);
        Assert.Equal("evt_doc", doc.DocumentId);
        Assert.Equal(documentHex, doc.DocumentHash);
        Assert.Equal("anchored", doc.Status);
        Assert.Equal("att_001", att.AttestationId);
        Assert.Equal("c0ffee", att.InputHash);
        Assert.Equal("anchored", att.Status);
        Assert.Equal(TraceStatus.Sealed, sealedTrace.Status);
        Assert.Equal("sha256:def456", sealedTrace.CompositeHash);

        JsonSemantics.AssertEquivalent(
            JsonNode.Parse("""{"label":"Vendor Onboarding, Acme Corp","metadata":{"department":"procurement","initiated_by":"j.smith@acme.com"}}"""),
            Body("POST", "/v1/traces"));
        JsonSemantics.AssertEquivalent(
            JsonNode.Parse("""{"event_type":"invoice.received","payload":{"invoice_number":"INV-2026-001","amount":5000},"trace_id":"tr_abc123"}"""),
            Body("POST", "/v1/events"));
        // 64 lowercase hex, no prefix: what Invoance's SDKs check before sending (FACTS.md).
        JsonSemantics.AssertEquivalent(
            JsonNode.Parse($$"""{"document_hash":"{{documentHex}}","document_ref":"INV-2026-001","trace_id":"tr_abc123"}"""),
            Body("POST", "/v1/document/anchor"));
        JsonSemantics.AssertEquivalent(
            JsonNode.Parse("""{"type":"output","payload":{"input":"Summarize invoice INV-2026-001","output":"Commercial invoice for $5,000…"},"context":{"model_provider":"openai","model_name":"gpt-4.1","model_version":"2025-04-14"},"subject":{"user_id":"u_42","session_id":"s_7"},"trace_id":"tr_abc123"}"""),
            Body("POST", "/v1/ai/attestations"));
        var seal = Assert.Single(Requests("POST", $"/v1/traces/{TraceId}/seal"));
        Assert.Equal($"Bearer {ApiKey}", Header(seal, "Authorization"));
        AssertOnlyInvoancePaths();
    }

    [Fact]
    public async Task ListAll_WithoutCursor_FollowsPageNumbers()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").WithParam("page", "2").UsingGet()).RespondWith(Json(200,
            """{"traces":[{"trace_id":"tr_3","label":"c","status":"open","event_count":0,"created_at":"2026-03-17T12:02:00Z","sealed_at":null,"composite_hash":null}],"page":2,"limit":2,"total":3,"has_more":false}"""));
        Server.Given(Request.Create().WithPath("/v1/traces").UsingGet()).AtPriority(10).RespondWith(Json(200,
            """{"traces":[{"trace_id":"tr_1","label":"a","status":"sealed","event_count":7,"created_at":"2026-03-17T12:00:00Z","sealed_at":"2026-03-17T14:30:00Z","composite_hash":"sha256:def456"},{"trace_id":"tr_2","label":"b","status":"open","event_count":1,"created_at":"2026-03-17T12:01:00Z","sealed_at":null,"composite_hash":null}],"page":1,"limit":2,"total":3,"has_more":true}"""));
        using var client = CreateClient();

        var ids = new List<string>();
        await foreach (var trace in client.Traces.ListAllAsync(new TraceListFilter { Limit = 2 }, Ct))
        {
            ids.Add(trace.TraceId!);
        }

        Assert.Equal(["tr_1", "tr_2", "tr_3"], ids);
        var queries = Requests("GET", "/v1/traces").Select(e => new Uri(e.RequestMessage!.AbsoluteUrl).Query).ToList();
        Assert.Equal(["?limit=2", "?limit=2&page=2"], queries);
        var one = await client.Traces.ListAsync(new TraceListFilter { Page = 2, Limit = 2, Status = TraceStatus.Open }, Ct);
        Assert.Equal(2, one.Page);
        Assert.Equal("?status=open&limit=2&page=2", new Uri(Requests("GET", "/v1/traces")[^1].RequestMessage!.AbsoluteUrl).Query);
        AssertOnlyInvoancePaths();
    }

    [Fact]
    public async Task Get_JoinsEventPages_AsInvoancePagesThem()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}").WithParam("event_page", "2").UsingGet()).RespondWith(Json(200,
            TraceDetailJson("sealed", """[{"event_id":"evt_3","event_type":"c","payload_hash":"sha256:cc","ingested_at":"2026-03-17T12:07:00Z"}]""", page: 2, hasMore: false)));
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}").UsingGet()).AtPriority(10).RespondWith(Json(200,
            TraceDetailJson("sealed", """[{"event_id":"evt_1","event_type":"a","payload_hash":"sha256:aa","ingested_at":"2026-03-17T12:05:00Z"},{"event_id":"evt_2","event_type":"b","payload_hash":"sha256:bb","ingested_at":"2026-03-17T12:06:00Z"}]""", page: 1, hasMore: true)));
        using var client = CreateClient();

        var whole = await client.Traces.GetAsync(TraceId, Ct);
        var page = await client.Traces.GetEventPageAsync(TraceId, 2, 50, Ct);

        Assert.Equal(["evt_1", "evt_2", "evt_3"], whole.Events!.Select(e => e.EventId!));
        Assert.Equal(3, whole.EventTotal);
        Assert.False(whole.EventHasMore);
        Assert.Equal("evt_xyz789", whole.SealEventId);
        Assert.Equal(2, page.EventPage);
        Assert.Equal("evt_3", Assert.Single(page.Events!).EventId);
        var queries = Requests("GET", $"/v1/traces/{TraceId}").Select(e => new Uri(e.RequestMessage!.AbsoluteUrl).Query).ToList();
        Assert.Equal(["?event_page=1&event_limit=200", "?event_page=2&event_limit=200", "?event_page=2&event_limit=50"], queries);
        AssertOnlyInvoancePaths();
    }

    [Fact]
    public async Task Delete_Me_EventsList_ProofPdf_UseInvoancesPathsAndShapes()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}").UsingDelete()).RespondWith(Json(200, $$"""{"trace_id":"{{TraceId}}","deleted":true}"""));
        Server.Given(Request.Create().WithPath("/v1/me").UsingGet()).RespondWith(Json(200,
            """{"valid":true,"organization":{"id":"org_9","name":"Acme"},"tenant":{"id":"ten_9","name":"Acme"},"api_key":{"id":"key_9","name":"ci","key_prefix":"sk_live_","key_last4":"9f3a","scopes":["events:write"]},"limits":{"rate_limit_per_sec":20}}"""));
        Server.Given(Request.Create().WithPath("/v1/events").UsingGet()).RespondWith(Json(200,
            """{"events":[{"event_id":"evt_001","event_type":"invoice.received","payload_hash":"ab12","event_hash":"cd34","retention_policy":"standard","ingested_at":"2026-03-17T12:05:00Z"}],"page":1,"limit":1,"total":12,"has_more":true}"""));
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n%test\n");
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/proof/pdf").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/pdf").WithBody(pdf));
        using var client = CreateClient();

        var deleted = await client.Traces.DeleteAsync(TraceId, Ct);
        var me = await client.GetMeAsync(Ct);
        var events = await client.Events.ListAsync(new EventListFilter { Limit = 1 }, Ct);
        await using var stream = await client.Traces.GetProofPdfAsync(TraceId, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        Assert.True(deleted.Deleted);
        Assert.Equal(TraceId, deleted.TraceId);
        Assert.True(me.Valid);
        Assert.Equal("ten_9", me.Tenant!.Id);
        Assert.Equal("sk_live_", me.ApiKey!.KeyPrefix);
        Assert.Equal("9f3a", me.ApiKey.KeyLast4);
        Assert.Equal("Acme", me.AdditionalProperties!["organization"].GetProperty("name").GetString());
        Assert.Equal(12, events.Total);
        Assert.True(events.HasMore);
        Assert.Equal("invoice.received", Assert.Single(events.Events!).EventType);
        Assert.Equal(pdf, copy.ToArray());
        Assert.Equal("?limit=1", new Uri(Assert.Single(Requests("GET", "/v1/events")).RequestMessage!.AbsoluteUrl).Query);
        Assert.Contains("application/octet-stream", Header(Assert.Single(Requests("GET", $"/v1/traces/{TraceId}/proof/pdf")), "Accept"), StringComparison.Ordinal);
        AssertOnlyInvoancePaths();
    }

    [Theory]
    [InlineData(400, """{"error":"empty_trace","message":"Trace has no items."}""", "empty_trace", KnownErrorCode.EmptyTrace, typeof(TracesValidationException), "Trace has no items.")]
    [InlineData(409, """{"error":"trace_sealed","message":"Trace is already sealed. No items can be added."}""", "trace_sealed", KnownErrorCode.TraceSealed, typeof(TracesConflictException), "Trace is already sealed. No items can be added.")]
    [InlineData(409, """{"error":"trace_sealing","message":"Trace is currently being sealed."}""", "trace_sealing", KnownErrorCode.TraceSealing, typeof(TracesConflictException), "Trace is currently being sealed.")]
    [InlineData(404, """{"error":"trace_not_found","message":"Trace ID does not exist."}""", "trace_not_found", KnownErrorCode.TraceNotFound, typeof(TracesNotFoundException), "Trace ID does not exist.")]
    [InlineData(400, """{"error":"invalid_label","message":"Label is required."}""", "invalid_label", KnownErrorCode.InvalidLabel, typeof(TracesValidationException), "Label is required.")]
    [InlineData(400, """{"error":"metadata_too_large","message":"Metadata exceeds 16 KB limit."}""", "metadata_too_large", KnownErrorCode.MetadataTooLarge, typeof(TracesValidationException), "Metadata exceeds 16 KB limit.")]
    [InlineData(401, """{"error":"invalid_api_key"}""", "invalid_api_key", KnownErrorCode.InvalidApiKey, typeof(TracesAuthenticationException), "Unauthorized")]
    [InlineData(409, """{"error":"idempotency_key_reused","message":"Key reused."}""", "idempotency_key_reused", KnownErrorCode.IdempotencyKeyReused, typeof(TracesConflictException), "Key reused.")]
    public async Task InvoanceErrorBodies_BecomeTheCodeAndMessage(int status, string body, string code, KnownErrorCode known, Type type, string text)
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/seal").UsingPost()).RespondWith(Json(status, body));
        using var client = CreateClient(o => o.MaxRetries = 0);

        var ex = await Assert.ThrowsAnyAsync<TracesApiException>(() => client.Traces.SealAsync(TraceId, Ct));

        Assert.IsType(type, ex);
        Assert.Equal(status, ex.Status);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(known, ex.KnownErrorCode);
        Assert.StartsWith($"{text} (status {status}, code {code}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalServerErrorBody_WithBothMemberSets_ReadsTheSameCodeAndText()
    {
        // What the local server sends (docs/api.md "Errors"): problem+json with Invoance's error/message beside it.
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/seal").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/problem+json")
            .WithBody("""{"type":"urn:traces:error:empty_trace","title":"Trace is empty","status":400,"detail":"Trace tr_abc123 has no entries to seal.","instance":"/v1/traces/tr_abc123/seal","code":"empty_trace","request_id":"req_1","error":"empty_trace","message":"Trace tr_abc123 has no entries to seal."}"""));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.Traces.SealAsync(TraceId, Ct));

        Assert.Equal(KnownErrorCode.EmptyTrace, ex.KnownErrorCode);
        Assert.Equal("Trace tr_abc123 has no entries to seal. (status 400, code empty_trace, request id req_1)", ex.Message);
    }

    private void ServeInvoance()
    {
        // Response bodies: the seed's traces page and the Invoance SDK models (FACTS.md).
        Server.Given(Request.Create().WithPath("/v1/traces").UsingPost()).RespondWith(Json(201,
            """{"trace_id":"tr_abc123","status":"open","created_at":"2026-03-17T12:00:00Z","label":"Vendor Onboarding, Acme Corp"}"""));
        Server.Given(Request.Create().WithPath("/v1/events").UsingPost()).RespondWith(Json(201,
            """{"event_id":"evt_001","ingested_at":"2026-03-17T12:05:00Z"}"""));
        Server.Given(Request.Create().WithPath("/v1/document/anchor").UsingPost()).RespondWith(Response.Create().WithStatusCode(201)
            .WithHeader("Content-Type", "application/json")
            .WithBody(request => $$"""{"event_id":"evt_doc","created_at":"2026-03-17T12:06:00Z","document_hash":"{{JsonNode.Parse(request.Body!)!["document_hash"]}}","status":"anchored"}"""));
        Server.Given(Request.Create().WithPath("/v1/ai/attestations").UsingPost()).RespondWith(Json(201,
            """{"attestation_id":"att_001","created_at":"2026-03-17T12:07:00Z","input_hash":"c0ffee","output_hash":"beef","payload_hash":"f00d","status":"anchored"}"""));
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/seal").UsingPost()).RespondWith(Json(202,
            """{"trace_id":"tr_abc123","status":"sealing","message":"Seal initiated. Poll GET /v1/traces/:trace_id for completion."}"""));
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}").UsingGet()).RespondWith(Json(200,
            TraceDetailJson("sealed", """[{"event_id":"evt_001","event_type":"invoice.received","payload_hash":"sha256:a3f2b1","ingested_at":"2026-03-17T12:05:00Z"}]""", page: 1, hasMore: false)));
    }

    private static string TraceDetailJson(string status, string events, int page, bool hasMore) =>
        $$"""{"trace_id":"tr_abc123","label":"Vendor Onboarding, Acme Corp","status":"{{status}}","event_count":3,"created_at":"2026-03-17T12:00:00Z","sealed_at":"2026-03-17T14:30:00Z","composite_hash":"sha256:def456","seal_event_id":"evt_xyz789","metadata":{},"events":{{events}},"event_page":{{page}},"event_limit":200,"event_total":3,"event_has_more":{{(hasMore ? "true" : "false")}}}""";

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    private JsonNode? Body(string method, string path) => JsonNode.Parse(Assert.Single(Requests(method, path)).RequestMessage!.Body!);

    /// <summary>Every request the client sent is a method and path Invoance serves.</summary>
    private void AssertOnlyInvoancePaths()
    {
        Assert.NotEmpty(Server.LogEntries);
        foreach (var entry in Server.LogEntries)
        {
            var method = entry.RequestMessage!.Method.ToUpperInvariant();
            var path = TraceIdSegment().Replace(entry.RequestMessage.Path, "/v1/traces/{traceId}");
            Assert.True(InvoancePaths.Contains((method, path)), $"{method} {entry.RequestMessage.Path} is not an Invoance path");
        }
    }

    [GeneratedRegex("^/v1/traces/tr_[^/]+")]
    private static partial Regex TraceIdSegment();
}
