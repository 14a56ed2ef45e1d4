using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

/// <summary>One server for <see cref="InvoanceWireTests"/>; each count-sensitive test has a tenant of its own.</summary>
public sealed class InvoanceWireServer : IAsyncLifetime
{
    public const string Key = "sk_live_invoance_wire_acme";
    public const string PagesKey = "sk_live_invoance_wire_pages";
    public const string EventsKey = "sk_live_invoance_wire_events";
    public const string OtherKey = "sk_live_invoance_wire_other";

    private LocalTracesServer? _server;

    public LocalTracesServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _server = await TestServers.StartAsync(options =>
    {
        options.ApiKey = Key;
        options.DefaultTenantId = "acme";
        options.AdditionalApiKeys[PagesKey] = "pages";
        options.AdditionalApiKeys[EventsKey] = "events";
        options.AdditionalApiKeys[OtherKey] = "other";
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            var dir = _server.DataDirectory;
            await _server.DisposeAsync();
            TestServers.DeleteDirectory(dir);
        }
    }
}

/// <summary>
/// The server driven with the exact requests Invoance's official SDKs send (tests/vectors/invoance/FACTS.md "Wire";
/// bodies as the Node SDK's resources/*.ts build them, the seed's example values): bearer key, Accept
/// application/json, an invoance-node User-Agent, compact JSON. Asserts the status codes, the response members the
/// SDKs read, and Invoance's error members.
/// </summary>
public sealed class InvoanceWireTests(InvoanceWireServer fixture) : IClassFixture<InvoanceWireServer>
{
    private const string SeedLabel = "Vendor Onboarding, Acme Corp";
    private const string HelloHex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"; // SHA-256("hello")

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Sdk(string key = InvoanceWireServer.Key)
    {
        // What every Invoance SDK puts on each request (Invoance SDK http.ts): no x-api-key.
        var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.ParseAdd("invoance-node/1.4.0");
        return http;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null,
        string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonElement.Parse(text));
    }

    private static async Task<string> CreateAsync(HttpClient http, string label = SeedLabel)
    {
        var (status, body) = await SendAsync(http, HttpMethod.Post, "/v1/traces", JsonSerializer.Serialize(new { label }));
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("trace_id").GetString()!;
    }

    private static async Task IngestAsync(HttpClient http, string traceId, string eventType = "invoice.received")
    {
        var (status, _) = await SendAsync(http, HttpMethod.Post, "/v1/events",
            $$"""{"event_type":"{{eventType}}","payload":{"invoice_number":"INV-2026-001","amount":5000},"trace_id":"{{traceId}}"}""");
        Assert.Equal(HttpStatusCode.Created, status);
    }

    /// <summary>Invoance's error members (the SDKs' code and text) next to the problem members, equal to them.</summary>
    private static void AssertInvoanceError(JsonElement body, HttpStatusCode expectedStatus, HttpStatusCode status, string code)
    {
        Assert.True(expectedStatus == status, body.ToString());
        Assert.Equal(code, body.GetProperty("error").GetString());
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(body.GetProperty("detail").GetString(), body.GetProperty("message").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task CreateTrace_SeedBody_AnswersTheMembersTheSdksRead()
    {
        using var http = Sdk();
        var (status, trace) = await SendAsync(http, HttpMethod.Post, "/v1/traces",
            """{"label":"Vendor Onboarding, Acme Corp","metadata":{"department":"procurement","initiated_by":"j.smith@acme.com"}}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Matches("^tr_[0-9A-HJKMNP-TV-Z]{26}$", trace.GetProperty("trace_id").GetString());
        Assert.Equal("open", trace.GetProperty("status").GetString());
        Assert.Equal(SeedLabel, trace.GetProperty("label").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", trace.GetProperty("created_at").GetString());
    }

    [Fact]
    public async Task ListTraces_ByPageNumber_EchoesPageAndCountsFromOne()
    {
        using var http = Sdk(InvoanceWireServer.PagesKey);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateAsync(http, $"trace {i}"));
        }

        var (status, second) = await SendAsync(http, HttpMethod.Get, "/v1/traces?page=2&limit=2&status=open");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        Assert.Equal(2, second.GetProperty("limit").GetInt32());
        Assert.Equal(5, second.GetProperty("total").GetInt64());
        Assert.True(second.GetProperty("has_more").GetBoolean());
        Assert.Equal(created[2..4], second.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()!));
        var item = second.GetProperty("traces")[0];
        Assert.Equal("trace 2", item.GetProperty("label").GetString());
        Assert.Equal("open", item.GetProperty("status").GetString());
        Assert.Equal(0, item.GetProperty("event_count").GetInt64());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("sealed_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("composite_hash").ValueKind);

        var (_, third) = await SendAsync(http, HttpMethod.Get, "/v1/traces?page=3&limit=2");
        Assert.Equal(3, third.GetProperty("page").GetInt32());
        Assert.Equal([created[4]], third.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()!));
        Assert.False(third.GetProperty("has_more").GetBoolean());

        var (_, beyond) = await SendAsync(http, HttpMethod.Get, "/v1/traces?page=4&limit=2");
        Assert.Equal(0, beyond.GetProperty("traces").GetArrayLength());
        Assert.False(beyond.GetProperty("has_more").GetBoolean());
        Assert.Equal(5, beyond.GetProperty("total").GetInt64());

        var (_, first) = await SendAsync(http, HttpMethod.Get, "/v1/traces?limit=2");
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(created[..2], first.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()!));

        var (zeroStatus, zero) = await SendAsync(http, HttpMethod.Get, "/v1/traces?page=0");
        AssertInvoanceError(zero, HttpStatusCode.BadRequest, zeroStatus, "validation_error");
        var cursor = first.GetProperty("next_cursor").GetString();
        var (bothStatus, both) = await SendAsync(http, HttpMethod.Get, $"/v1/traces?page=2&cursor={cursor}");
        AssertInvoanceError(both, HttpStatusCode.BadRequest, bothStatus, "validation_error");
    }

    [Fact]
    public async Task GetTrace_WithEventPaging_AnswersOnePageAndTheTotals()
    {
        using var http = Sdk();
        var traceId = await CreateAsync(http);
        foreach (var type in new[] { "a.one", "a.two", "a.three" })
        {
            await IngestAsync(http, traceId, type);
        }

        var (status, page2) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{traceId}?event_page=2&event_limit=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["a.three"], page2.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event_type").GetString()!));
        Assert.Equal(2, page2.GetProperty("event_page").GetInt32());
        Assert.Equal(2, page2.GetProperty("event_limit").GetInt32());
        Assert.Equal(3, page2.GetProperty("event_total").GetInt64());
        Assert.False(page2.GetProperty("event_has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("seal_event_id").ValueKind);
        Assert.Equal(JsonValueKind.Object, page2.GetProperty("metadata").ValueKind);
        var summary = page2.GetProperty("events")[0];
        Assert.StartsWith("evt_", summary.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("sha256:", summary.GetProperty("payload_hash").GetString(), StringComparison.Ordinal);
        Assert.True(summary.TryGetProperty("ingested_at", out _));

        var (_, page1) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{traceId}?event_page=1&event_limit=2");
        Assert.Equal(["a.one", "a.two"], page1.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event_type").GetString()!));
        Assert.True(page1.GetProperty("event_has_more").GetBoolean());

        // Invoance's default page size (SDK models/traces.ts: 50) when only the page is given.
        var (_, defaults) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{traceId}?event_page=1");
        Assert.Equal(50, defaults.GetProperty("event_limit").GetInt32());
        Assert.Equal(3, defaults.GetProperty("events").GetArrayLength());

        // Without paging parameters every entry is answered (extension), and the paging members say so.
        var (_, whole) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{traceId}");
        Assert.Equal(3, whole.GetProperty("events").GetArrayLength());
        Assert.Equal(1, whole.GetProperty("event_page").GetInt32());
        Assert.Equal(3, whole.GetProperty("event_limit").GetInt32());
        Assert.Equal(3, whole.GetProperty("event_total").GetInt64());
        Assert.False(whole.GetProperty("event_has_more").GetBoolean());

        var (badStatus, bad) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{traceId}?event_limit=201");
        AssertInvoanceError(bad, HttpStatusCode.BadRequest, badStatus, "validation_error");
    }

    [Fact]
    public async Task DeleteTrace_EmptyOpenTrace_IsDeleted_OtherwiseTheRightError()
    {
        using var http = Sdk();
        var empty = await CreateAsync(http);
        var (status, deleted) = await SendAsync(http, HttpMethod.Delete, $"/v1/traces/{empty}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(empty, deleted.GetProperty("trace_id").GetString());
        Assert.True(deleted.GetProperty("deleted").GetBoolean());

        var (goneStatus, gone) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{empty}");
        AssertInvoanceError(gone, HttpStatusCode.NotFound, goneStatus, "trace_not_found");
        var (againStatus, again) = await SendAsync(http, HttpMethod.Delete, $"/v1/traces/{empty}");
        AssertInvoanceError(again, HttpStatusCode.NotFound, againStatus, "trace_not_found");

        var full = await CreateAsync(http);
        await IngestAsync(http, full);
        var (fullStatus, notEmpty) = await SendAsync(http, HttpMethod.Delete, $"/v1/traces/{full}");
        AssertInvoanceError(notEmpty, HttpStatusCode.Conflict, fullStatus, "trace_not_empty");

        var sealedId = await CreateAsync(http);
        await IngestAsync(http, sealedId);
        using (var api = new TracesApi(fixture.Server))
        {
            await api.SealAndWaitAsync(sealedId);
        }

        var (sealedStatus, isSealed) = await SendAsync(http, HttpMethod.Delete, $"/v1/traces/{sealedId}");
        AssertInvoanceError(isSealed, HttpStatusCode.Conflict, sealedStatus, "trace_sealed");

        var foreign = await CreateAsync(http);
        using var other = Sdk(InvoanceWireServer.OtherKey);
        var (foreignStatus, notFound) = await SendAsync(other, HttpMethod.Delete, $"/v1/traces/{foreign}");
        AssertInvoanceError(notFound, HttpStatusCode.NotFound, foreignStatus, "trace_not_found");
        var (stillStatus, _) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{foreign}");
        Assert.Equal(HttpStatusCode.OK, stillStatus);
    }

    [Fact]
    public async Task Seal_WithEmptyObjectBody_Is202_AndAnEmptyTraceIs400EmptyTrace()
    {
        using var http = Sdk();
        var traceId = await CreateAsync(http);
        var (emptyStatus, empty) = await SendAsync(http, HttpMethod.Post, $"/v1/traces/{traceId}/seal", "{}");
        AssertInvoanceError(empty, HttpStatusCode.BadRequest, emptyStatus, "empty_trace");

        await IngestAsync(http, traceId);
        var (status, seal) = await SendAsync(http, HttpMethod.Post, $"/v1/traces/{traceId}/seal", "{}");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(traceId, seal.GetProperty("trace_id").GetString());
        Assert.Equal("sealing", seal.GetProperty("status").GetString());
        Assert.Equal($"Seal initiated. Poll GET /v1/traces/{traceId} for completion.", seal.GetProperty("message").GetString());
    }

    [Fact]
    public async Task IngestEvent_WithEventTimeAndTrace_AnswersEventIdAndIngestedAt()
    {
        using var http = Sdk();
        var traceId = await CreateAsync(http);
        var (status, evt) = await SendAsync(http, HttpMethod.Post, "/v1/events",
            $$"""{"event_type":"approval.recorded","payload":{"invoice_number":"INV-2026-001","payment_id":"PAY-001"},"event_time":"2026-03-17T12:05:00Z","trace_id":"{{traceId}}"}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.StartsWith("evt_", evt.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", evt.GetProperty("ingested_at").GetString());
        Assert.Equal(Sha.OfCanonical("""{"invoice_number":"INV-2026-001","payment_id":"PAY-001"}"""), evt.GetProperty("payload_hash").GetString());
    }

    [Fact]
    public async Task AnchorDocument_AsTheSdkSendsIt_AnswersInvoancesMembers_AndRecordsTheHash()
    {
        using var http = Sdk();
        var traceId = await CreateAsync(http);
        // documents.anchorFile("hello" bytes): hash, ref, type, original bytes, metadata, trace.
        var (status, doc) = await SendAsync(http, HttpMethod.Post, "/v1/document/anchor",
            $$"""{"document_hash":"{{HelloHex}}","document_ref":"INV-2026-001","event_type":"invoice","original_bytes_b64":"aGVsbG8=","metadata":{"source":"email"},"trace_id":"{{traceId}}"}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.StartsWith("evt_", doc.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(HelloHex, doc.GetProperty("document_hash").GetString());
        Assert.Equal("anchored", doc.GetProperty("status").GetString());
        Assert.Equal(doc.GetProperty("ingested_at").GetString(), doc.GetProperty("created_at").GetString());
        Assert.Equal("document.anchored", doc.GetProperty("event_type").GetString());
        Assert.Equal(0, doc.GetProperty("index").GetInt64());
        Assert.Equal(Sha.OfCanonical($$$"""{"document_hash":"sha256:{{{HelloHex}}}","document_ref":"INV-2026-001","event_type":"invoice","has_original":true,"metadata":{"source":"email"}}"""),
            doc.GetProperty("payload_hash").GetString());

        // The seed's minimal body (hash, trace, ref).
        var (minimalStatus, minimal) = await SendAsync(http, HttpMethod.Post, "/v1/document/anchor",
            $$"""{"document_hash":"{{HelloHex}}","trace_id":"{{traceId}}","document_ref":"contract.pdf"}""");
        Assert.Equal(HttpStatusCode.Created, minimalStatus);
        Assert.Equal(Sha.OfCanonical($$"""{"document_hash":"sha256:{{HelloHex}}","document_ref":"contract.pdf"}"""), minimal.GetProperty("payload_hash").GetString());

        var (wrongStatus, wrong) = await SendAsync(http, HttpMethod.Post, "/v1/document/anchor",
            $$"""{"document_hash":"{{HelloHex}}","original_bytes_b64":"aGVsbG8h"}""");
        AssertInvoanceError(wrong, HttpStatusCode.BadRequest, wrongStatus, "validation_error");
        Assert.Equal(["must be the document whose SHA-256 is document_hash"], Messages(wrong, "original_bytes_b64"));
        var (notB64Status, notB64) = await SendAsync(http, HttpMethod.Post, "/v1/document/anchor",
            $$"""{"document_hash":"{{HelloHex}}","original_bytes_b64":"***"}""");
        AssertInvoanceError(notB64, HttpStatusCode.BadRequest, notB64Status, "validation_error");
        Assert.Equal(["must be base64"], Messages(notB64, "original_bytes_b64"));
    }

    /// <summary>The messages a validation error body gives for one field (RFC 7807 <c>errors</c> member).</summary>
    private static string[] Messages(JsonElement problem, string field) =>
        [.. problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task IngestAttestation_NestedBody_AnswersAttestationIdHashesAndStatus()
    {
        using var http = Sdk();
        var traceId = await CreateAsync(http);
        const string input = "Summarize invoice INV-2026-001";
        const string output = "Commercial invoice for $5,000…";
        var (status, att) = await SendAsync(http, HttpMethod.Post, "/v1/ai/attestations",
            $$"""{"type":"output","payload":{"input":"{{input}}","output":"{{output}}"},"context":{"model_provider":"openai","model_name":"gpt-4.1","model_version":"2025-04-14"},"subject":{"user_id":"u_42","session_id":"s_7","department":"finance"},"trace_id":"{{traceId}}"}""");

        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(att.GetProperty("event_id").GetString(), att.GetProperty("attestation_id").GetString());
        Assert.Equal(Sha.Digest(Sha.Hash(Encoding.UTF8.GetBytes(input))), att.GetProperty("input_hash").GetString());
        Assert.Equal(Sha.Digest(Sha.Hash(Encoding.UTF8.GetBytes(output))), att.GetProperty("output_hash").GetString());
        Assert.Equal("anchored", att.GetProperty("status").GetString());
        Assert.Equal(att.GetProperty("ingested_at").GetString(), att.GetProperty("created_at").GetString());
        Assert.Equal("ai.attestation", att.GetProperty("event_type").GetString());
        Assert.Equal(Sha.OfCanonical($$$"""{"context":{"model_name":"gpt-4.1","model_provider":"openai","model_version":"2025-04-14"},"payload":{"input":"{{{input}}}","output":"{{{output}}}"},"subject":{"department":"finance","session_id":"s_7","user_id":"u_42"},"type":"output"}"""),
            att.GetProperty("payload_hash").GetString());

        var (badStatus, bad) = await SendAsync(http, HttpMethod.Post, "/v1/ai/attestations",
            """{"type":"output","payload":{"input":"i","output":"o"},"context":{"model_name":7}}""");
        AssertInvoanceError(bad, HttpStatusCode.BadRequest, badStatus, "validation_error");
        Assert.Equal(["must be a string"], Messages(bad, "context.model_name"));
    }

    [Fact]
    public async Task Me_NamesTheTenantAndTheKeyPrefixOnly()
    {
        using var http = Sdk();
        var (status, me) = await SendAsync(http, HttpMethod.Get, "/v1/me");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(me.GetProperty("valid").GetBoolean());
        Assert.Equal("acme", me.GetProperty("tenant").GetProperty("id").GetString());
        Assert.Equal("sk_live_", me.GetProperty("api_key").GetProperty("key_prefix").GetString());
        Assert.Matches("^key_[0-9a-f]{16}$", me.GetProperty("api_key").GetProperty("id").GetString());
        Assert.DoesNotContain("invoance_wire", me.ToString(), StringComparison.Ordinal);

        using var wrong = Sdk("sk_live_not_a_key");
        var (wrongStatus, refused) = await SendAsync(wrong, HttpMethod.Get, "/v1/me");
        AssertInvoanceError(refused, HttpStatusCode.Unauthorized, wrongStatus, "unauthorized");
    }

    [Fact]
    public async Task ListEvents_LimitOne_IsTheKeyCheck_AndPagesByNumber()
    {
        using var http = Sdk(InvoanceWireServer.EventsKey);
        var traceId = await CreateAsync(http);
        await IngestAsync(http, traceId, "a.b");
        await IngestAsync(http, traceId, "c.d");
        var (docStatus, _) = await SendAsync(http, HttpMethod.Post, "/v1/document/anchor", $$"""{"document_hash":"{{HelloHex}}"}""");
        Assert.Equal(HttpStatusCode.Created, docStatus);
        await IngestAsync(http, traceId, "a.b");

        var (status, one) = await SendAsync(http, HttpMethod.Get, "/v1/events?limit=1");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, one.GetProperty("page").GetInt32());
        Assert.Equal(1, one.GetProperty("limit").GetInt32());
        Assert.Equal(4, one.GetProperty("total").GetInt64());
        Assert.True(one.GetProperty("has_more").GetBoolean());
        var first = one.GetProperty("events")[0];
        Assert.Equal("a.b", first.GetProperty("event_type").GetString());
        Assert.Equal(traceId, first.GetProperty("trace_id").GetString());

        var (_, page2) = await SendAsync(http, HttpMethod.Get, "/v1/events?page=2&limit=2");
        Assert.Equal(["document.anchored", "a.b"], page2.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event_type").GetString()!));
        Assert.False(page2.GetProperty("has_more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("events")[0].GetProperty("trace_id").ValueKind);

        var (_, filtered) = await SendAsync(http, HttpMethod.Get, "/v1/events?event_type=a.b");
        Assert.Equal(2, filtered.GetProperty("total").GetInt64());
        Assert.Equal(25, filtered.GetProperty("limit").GetInt32());

        var (tooManyStatus, tooMany) = await SendAsync(http, HttpMethod.Get, "/v1/events?limit=501");
        AssertInvoanceError(tooMany, HttpStatusCode.BadRequest, tooManyStatus, "validation_error");
    }

    [Fact]
    public async Task ReusedIdempotencyKey_Is409_WithInvoancesErrorMembers()
    {
        using var http = Sdk();
        var key = "idem-" + Guid.NewGuid().ToString("N");
        var (firstStatus, _) = await SendAsync(http, HttpMethod.Post, "/v1/traces", """{"label":"first"}""", key);
        Assert.Equal(HttpStatusCode.Created, firstStatus);
        var (status, reused) = await SendAsync(http, HttpMethod.Post, "/v1/traces", """{"label":"second"}""", key);
        AssertInvoanceError(reused, HttpStatusCode.Conflict, status, "idempotency_key_reused");
    }

    [Fact]
    public async Task ProofPdf_OfASealedTrace_IsAPdfWhoseTextNamesTheTraceCompositeHashVerdictAndLabel()
    {
        using var http = Sdk();
        var traceId = await CreateAsync(http, "Prüfung — Ελλάδα, Проверка 検査");
        await IngestAsync(http, traceId, "invoice.received");
        await IngestAsync(http, traceId, "payment.authorized");
        var (openStatus, open) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{traceId}/proof/pdf");
        AssertInvoanceError(open, HttpStatusCode.Conflict, openStatus, "trace_not_sealed");
        JsonElement sealedTrace;
        using (var api = new TracesApi(fixture.Server))
        {
            sealedTrace = await api.SealAndWaitAsync(traceId);
        }

        // As the Invoance SDKs ask for it (http.ts getBytes): Accept: application/octet-stream.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/traces/{traceId}/proof/pdf");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
        using var response = await http.SendAsync(request, Ct);
        var pdf = await response.Content.ReadAsByteArrayAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var lines = PdfText.Read(pdf);
        Assert.Equal("Trace proof", lines[0]);
        Assert.Equal($"trace id {traceId}", lines[1]);
        Assert.Equal("label Prüfung — Ελλάδα, Проверка [U+691C][U+67FB]", lines[2]);
        Assert.Contains($"composite hash {sealedTrace.GetProperty("composite_hash").GetString()}", lines);
        Assert.Contains("verdict valid", lines);
        Assert.Contains("signatures valid yes", lines);
        Assert.Contains("entries 2", lines);
        var proof = JsonElement.Parse(await http.GetStringAsync($"/v1/traces/{traceId}/proof", Ct));
        foreach (var entry in proof.GetProperty("events").EnumerateArray())
        {
            Assert.Contains($"#{entry.GetProperty("index").GetInt64()}  {entry.GetProperty("event_type").GetString()}  {entry.GetProperty("event_id").GetString()}", lines);
            Assert.Contains($"content hash {entry.GetProperty("content_hash").GetString()}", lines);
            var signature = entry.GetProperty("signature").GetString()!; // ed25519: and 128 hex digits, wrapped after 87
            Assert.Equal(signature[87..], lines[lines.ToList().IndexOf($"signature {signature[..87]}") + 1]);
        }

        Assert.Contains("""payload {"amount":5000,"invoice_number":"INV-2026-001"}""", lines); // as stored: JCS order (proof-format)
        Assert.Contains("3. Run: traces verify proof.json --trust keys.json", lines);
        Assert.Equal("page 1 of 1", lines[^1]);
    }

    [Fact]
    public async Task Proof_HasEveryMemberTheSdksRead()
    {
        using var http = Sdk();
        var traceId = await CreateAsync(http);
        await IngestAsync(http, traceId, "invoice.received");
        await IngestAsync(http, traceId, "payment.authorized");
        using (var api = new TracesApi(fixture.Server))
        {
            await api.SealAndWaitAsync(traceId);
        }

        var (status, proof) = await SendAsync(http, HttpMethod.Get, $"/v1/traces/{traceId}/proof");

        // Invoance SDK models/traces.ts (FACTS.md "Proof bundle model"): every member it reads, with this server's values.
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("traces/v1", proof.GetProperty("version").GetString());
        Assert.Equal(traceId, proof.GetProperty("trace_id").GetString());
        Assert.Equal(SeedLabel, proof.GetProperty("label").GetString());
        Assert.Equal("acme", proof.GetProperty("tenant_domain").GetString());
        Assert.Equal("sealed", proof.GetProperty("status").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", proof.GetProperty("created_at").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", proof.GetProperty("sealed_at").GetString());
        Assert.Matches("^sha256:[0-9a-f]{64}$", proof.GetProperty("composite_hash").GetString());
        Assert.Equal(2, proof.GetProperty("event_count").GetInt64());
        var events = proof.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["invoice.received", "payment.authorized"], events.Select(e => e.GetProperty("event_type").GetString()));
        foreach (var entry in events.Append(proof.GetProperty("seal_event")))
        {
            Assert.Matches("^evt_[0-9A-HJKMNP-TV-Z]{26}$", entry.GetProperty("event_id").GetString());
            Assert.Matches("^sha256:[0-9a-f]{64}$", entry.GetProperty("content_hash").GetString());
            Assert.Equal(entry.GetProperty("ingested_at").GetString(), entry.GetProperty("timestamp").GetString());
            Assert.Matches("^ed25519:[0-9a-f]{128}$", entry.GetProperty("signature").GetString());
            Assert.Matches("^ed25519_pk:[0-9a-f]{64}$", entry.GetProperty("public_key").GetString());
        }

        Assert.Equal(5000, events[0].GetProperty("payload").GetProperty("amount").GetInt32());
        Assert.Equal(proof.GetProperty("sealed_at").GetString(), proof.GetProperty("seal_event").GetProperty("timestamp").GetString());
        var verification = proof.GetProperty("verification");
        Assert.True(verification.GetProperty("composite_hash_valid").GetBoolean());
        Assert.True(verification.GetProperty("all_signatures_valid").GetBoolean());
    }

    [Fact]
    public async Task ProofCertificateAndPublicKeys_WriteCharactersAsTheyAre_LikeEveryOtherAnswer()
    {
        using var http = Sdk();
        var (_, created) = await SendAsync(http, HttpMethod.Post, "/v1/traces", """{"label":"Vendor Onboarding — Acme + Co"}""");
        var traceId = created.GetProperty("trace_id").GetString()!;
        await IngestAsync(http, traceId);
        using (var api = new TracesApi(fixture.Server))
        {
            await api.SealAndWaitAsync(traceId);
        }

        var proof = await http.GetStringAsync($"/v1/traces/{traceId}/proof", Ct);
        var certificate = await http.GetStringAsync($"/v1/traces/{traceId}/certificate", Ct);
        var keys = await http.GetStringAsync("/v1/traces/public-key", Ct);
        var created2 = await http.GetStringAsync($"/v1/traces/{traceId}", Ct);

        Assert.Contains("\"label\":\"Vendor Onboarding — Acme + Co\"", created2, StringComparison.Ordinal);
        Assert.Contains("\"label\":\"Vendor Onboarding — Acme + Co\"", proof, StringComparison.Ordinal);
        foreach (var body in new[] { proof, certificate, keys, created2 })
        {
            Assert.DoesNotContain("\\u2014", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u002B", body, StringComparison.Ordinal);
        }

        var pem = JsonElement.Parse(keys).GetProperty("public_key").GetString()!;
        Assert.Contains(pem.Replace("\n", "\\n", StringComparison.Ordinal), keys, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/traces", """{"label":""}""", HttpStatusCode.BadRequest, "invalid_label")]
    [InlineData("GET", "/v1/traces/tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z", null, HttpStatusCode.NotFound, "trace_not_found")]
    [InlineData("POST", "/v1/events", """{"event_type":"a.b","payload":{},"trace_id":"tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z"}""", HttpStatusCode.NotFound, "trace_not_found")]
    [InlineData("POST", "/v1/document/anchor", """{"document_hash":"sha256:abc"}""", HttpStatusCode.BadRequest, "validation_error")]
    [InlineData("GET", "/v1/no-such-route", null, HttpStatusCode.NotFound, "not_found")]
    public async Task EveryError_CarriesErrorAndMessage(string method, string path, string? body, HttpStatusCode expected, string code)
    {
        using var http = Sdk();
        var (status, problem) = await SendAsync(http, new HttpMethod(method), path, body);
        AssertInvoanceError(problem, expected, status, code);
    }
}
