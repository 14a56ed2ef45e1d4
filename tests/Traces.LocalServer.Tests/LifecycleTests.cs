using System.Net;
using System.Text.Json;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Tests;

public sealed class LifecycleTests(SharedServer shared)
{
    private LocalTracesServer Server => shared.Server;

    [Fact]
    public async Task CreateTrace_WithAllMembers_EchoesThemAndIsOpen()
    {
        using var api = new TracesApi(Server);
        var response = await api.PostAsync("/v1/traces",
            """{"label":"Vendor Onboarding, Acme Corp","agent_id":"agent-001","description":"Support","tags":["support","billing"],"metadata":{"department":"procurement"}}""");
        var trace = await TracesApi.ReadJsonAsync(response, HttpStatusCode.Created);

        var traceId = trace.GetProperty("trace_id").GetString()!;
        Assert.Matches("^tr_[0-9A-HJKMNP-TV-Z]{26}$", traceId);
        Assert.Equal($"/v1/traces/{traceId}", response.Headers.Location?.OriginalString);
        Assert.Equal("open", trace.GetProperty("status").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", trace.GetProperty("created_at").GetString());
        Assert.Equal("agent-001", trace.GetProperty("agent_id").GetString());
        Assert.Equal(["support", "billing"], trace.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("procurement", trace.GetProperty("metadata").GetProperty("department").GetString());
    }

    [Fact]
    public async Task CreateTrace_WithOnlyAgentId_OmitsAbsentMembers()
    {
        using var api = new TracesApi(Server);
        var trace = await api.PostJsonAsync("/v1/traces", """{"agent_id":"agent-007"}""");
        Assert.False(trace.TryGetProperty("label", out _));
        Assert.False(trace.TryGetProperty("tags", out _));
        Assert.False(trace.TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task Steps_AreHashedChainedAndSigned_AsRecomputedIndependently()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();

        var first = await api.AddStepAsync(traceId, "User is asking about billing");
        var second = await api.PostJsonAsync($"/v1/traces/{traceId}/steps", """{"type":"ACTION","content":"lookup","metadata":{"b":2,"a":1}}""");

        var payloadHash0 = Sha.OfCanonical("""{"content":"User is asking about billing","metadata":{},"type":"THOUGHT"}""");
        var payloadHash1 = Sha.OfCanonical("""{"content":"lookup","metadata":{"a":1,"b":2},"type":"ACTION"}""");
        Assert.Equal(payloadHash0, first.GetProperty("payload_hash").GetString());
        Assert.Equal(payloadHash1, second.GetProperty("payload_hash").GetString());
        Assert.Equal(0, first.GetProperty("step_index").GetInt64());
        Assert.Equal(1, second.GetProperty("step_index").GetInt64());
        Assert.Equal(first.GetProperty("step_id").GetString(), first.GetProperty("event_id").GetString());

        var content0 = Sha.ContentHash(first.GetProperty("event_id").GetString()!, "agent.step", first.GetProperty("ingested_at").GetString()!, payloadHash0);
        var content1 = Sha.ContentHash(second.GetProperty("event_id").GetString()!, "agent.step", second.GetProperty("ingested_at").GetString()!, payloadHash1);
        Assert.Equal(content0, first.GetProperty("content_hash").GetString());
        Assert.Equal(content1, second.GetProperty("content_hash").GetString());
        var chain0 = Sha.ChainNext(null, content0);
        Assert.Equal(chain0, first.GetProperty("integrity_chain_hash").GetString());
        Assert.Equal(Sha.ChainNext(chain0, content1), second.GetProperty("integrity_chain_hash").GetString());

        var trace = await api.GetJsonAsync($"/v1/traces/{traceId}");
        Assert.Equal(2, trace.GetProperty("event_count").GetInt64());
        var events = trace.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, events[0].GetProperty("previous_chain_hash").ValueKind);
        Assert.Equal(chain0, events[1].GetProperty("previous_chain_hash").GetString());
    }

    [Fact]
    public async Task FullLifecycle_MixedEntries_SealsIntoABundleThatVerifiesOfflineAndOnServer()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync("Invoice Processing, Q1 2026");

        var evt = await api.PostJsonAsync("/v1/events",
            $$"""{"event_type":"invoice.received","payload":{"invoice_number":"INV-2026-001","amount":5000},"trace_id":"{{traceId}}"}""");
        var doc = await api.PostJsonAsync("/v1/document/anchor",
            $$"""{"document_hash":"A94A8FE5CCB19BA61C4C0873D391E987982FBBD3A94A8FE5CCB19BA61C4C0873","document_ref":"contract.pdf","trace_id":"{{traceId}}"}""");
        var att = await api.PostJsonAsync("/v1/ai/attestations",
            $$"""{"type":"output","payload":{"input":"Summarize","output":"Invoice for $5,000"},"context":{"model_provider":"openai","model_name":"gpt-4.1"},"trace_id":"{{traceId}}"}""");
        var step = await api.AddStepAsync(traceId, "done", "OUTPUT");

        Assert.Equal(0, evt.GetProperty("index").GetInt64());
        Assert.Equal(1, doc.GetProperty("index").GetInt64());
        Assert.Equal(2, att.GetProperty("index").GetInt64());
        Assert.Equal(3, step.GetProperty("step_index").GetInt64());
        Assert.Equal("document.anchored", doc.GetProperty("event_type").GetString());
        Assert.Equal("a94a8fe5ccb19ba61c4c0873d391e987982fbbd3a94a8fe5ccb19ba61c4c0873", doc.GetProperty("document_hash").GetString());
        Assert.Equal(att.GetProperty("event_id").GetString(), att.GetProperty("attestation_id").GetString());
        Assert.Equal(Sha.OfCanonical("""{"amount":5000,"invoice_number":"INV-2026-001"}"""), evt.GetProperty("payload_hash").GetString());
        // A bare upper-case hex document hash is normalized to sha256: + lower-case hex in the entry's payload.
        Assert.Equal(Sha.OfCanonical("""{"document_hash":"sha256:a94a8fe5ccb19ba61c4c0873d391e987982fbbd3a94a8fe5ccb19ba61c4c0873","document_ref":"contract.pdf"}"""),
            doc.GetProperty("payload_hash").GetString());

        var sealedTrace = await api.SealAndWaitAsync(traceId);
        Assert.Equal("sealed", sealedTrace.GetProperty("status").GetString());

        // Composite hash recomputed independently: RFC 9162 over 4 leaves.
        var contents = sealedTrace.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("content_hash").GetString()!).ToList();
        var expectedComposite = Sha.Digest(Sha.Node(Sha.Node(Sha.Leaf(contents[0]), Sha.Leaf(contents[1])), Sha.Node(Sha.Leaf(contents[2]), Sha.Leaf(contents[3]))));
        Assert.Equal(expectedComposite, sealedTrace.GetProperty("composite_hash").GetString());
        Assert.Equal(step.GetProperty("integrity_chain_hash").GetString(), sealedTrace.GetProperty("integrity_root_hash").GetString());

        var bundle = await api.GetProofAsync(traceId);
        Assert.Equal(4, bundle.EventCount);
        Assert.Equal(sealedTrace.GetProperty("seal_event_id").GetString(), bundle.SealEvent!.EventId);
        Assert.Equal(expectedComposite, bundle.Certificate!.CompositeHash);

        var report = new BundleVerifier(TrustPolicy.FromPublishedKeys(await api.GetPublicKeysAsync())).Verify(bundle);
        Assert.True(report.Verdict == Verdict.Valid, string.Join("; ", report.Findings.Select(f => f.Code + ": " + f.Message)));

        var verify = await api.PostJsonAsync($"/v1/traces/{traceId}/verify", "{}", HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.Equal("valid", verify.GetProperty("verdict").GetString());
        Assert.True(verify.GetProperty("chain_valid").GetBoolean());
        Assert.True(verify.GetProperty("signature_valid").GetBoolean());
        Assert.True(verify.GetProperty("composite_valid").GetBoolean());
        Assert.Equal(4, verify.GetProperty("event_count").GetInt64());
        Assert.Equal(0, verify.GetProperty("discrepancies").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, verify.GetProperty("first_invalid_event").ValueKind);

        var certificate = await api.GetJsonAsync($"/v1/traces/{traceId}/certificate");
        Assert.Equal(bundle.Certificate.Signature, certificate.GetProperty("signature").GetString());
        Assert.Equal("rsa-pss-sha256", certificate.GetProperty("algorithm").GetString());
    }

    [Fact]
    public async Task Seal_IsIdempotent_AndCompleteIsTheSameOperation()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();
        await api.AddStepAsync(traceId, "only step");
        var sealedTrace = await api.SealAndWaitAsync(traceId);

        var again = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/seal", null), HttpStatusCode.Accepted);
        var complete = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/complete", null), HttpStatusCode.Accepted);
        Assert.Equal("sealed", again.GetProperty("status").GetString());
        Assert.Equal("sealed", complete.GetProperty("status").GetString());
        var after = await api.GetJsonAsync($"/v1/traces/{traceId}");
        Assert.Equal(sealedTrace.GetProperty("seal_event_id").GetString(), after.GetProperty("seal_event_id").GetString());
        Assert.Equal(sealedTrace.GetProperty("sealed_at").GetString(), after.GetProperty("sealed_at").GetString());
    }

    [Fact]
    public async Task Complete_SealsAnOpenTrace()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync(agentId: "agent-001");
        await api.AddStepAsync(traceId, "x");
        var accepted = await api.PostAsync($"/v1/traces/{traceId}/complete", null);
        var body = await TracesApi.ReadJsonAsync(accepted, HttpStatusCode.Accepted);
        Assert.Equal("1", Assert.Single(accepted.Headers.GetValues("Retry-After")));
        Assert.Equal($"/v1/traces/{traceId}", accepted.Headers.Location?.OriginalString);
        Assert.Contains(body.GetProperty("status").GetString(), new[] { "sealing", "sealed" });
        Assert.Equal("sealed", (await api.WaitForSealAsync(traceId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task StandaloneEvent_IsSignedButNotChained()
    {
        using var api = new TracesApi(Server);
        var evt = await api.PostJsonAsync("/v1/events", """{"event_type":"payment.authorized","payload":{"payment_id":"PAY-001"}}""");
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("trace_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("index").ValueKind);
        Assert.Equal(JsonValueKind.Null, evt.GetProperty("chain_hash").ValueKind);
        Assert.Matches("^ed25519:[0-9a-f]{128}$", evt.GetProperty("signature").GetString());
        Assert.Equal(Server.PublicKeys.Keys![0].KeyId, evt.GetProperty("key_id").GetString());

        // The signature is over SignedMessage("traces/v1/event", content digest) under the published entry key.
        Assert.True(Traces.Verification.Bundles.WireEncoding.TryParseEd25519PublicKey(Server.PublicKeys.Keys[0].PublicKey, out var key));
        var message = Traces.Verification.Signatures.SignedMessage.Create(Traces.Verification.Signatures.SignatureLabels.Event,
            Traces.Verification.Hashing.Digest.Parse(evt.GetProperty("content_hash").GetString()!));
        var signature = Convert.FromHexString(evt.GetProperty("signature").GetString()!["ed25519:".Length..]);
        Assert.True(key!.Verify(message, signature));
        Assert.Equal(Sha.ContentHash(evt.GetProperty("event_id").GetString()!, "payment.authorized", evt.GetProperty("ingested_at").GetString()!,
            Sha.OfCanonical("""{"payment_id":"PAY-001"}""")), evt.GetProperty("content_hash").GetString());
    }

    [Fact]
    public async Task PublicKey_NeedsNoAuth_AndMatchesTheServersKeys()
    {
        using var anonymous = new TracesApi(Server.BaseAddress, apiKey: null);
        var keys = await anonymous.GetJsonAsync("/v1/traces/public-key");
        Assert.Equal("rsa-pss-sha256", keys.GetProperty("algorithm").GetString());
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", keys.GetProperty("public_key").GetString());
        var list = keys.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(["ed25519", "rsa-pss-sha256"], list.Select(k => k.GetProperty("algorithm").GetString()));
        Assert.Equal(["entries", "certificates"], list.Select(k => k.GetProperty("use").GetString()));
        var raw = Convert.FromHexString(list[0].GetProperty("public_key").GetString()!["ed25519_pk:".Length..]);
        Assert.Equal(Sha.Digest(Sha.Hash(raw)), list[0].GetProperty("key_id").GetString());
        Assert.Equal(Server.PublicKeys.Keys!.Select(k => k.KeyId), list.Select(k => k.GetProperty("key_id").GetString()));
    }

    [Fact]
    public async Task OpenApiDocument_IsServedWithoutAuth_AndListsEveryPath()
    {
        using var anonymous = new TracesApi(Server.BaseAddress, apiKey: null);
        var document = await anonymous.GetJsonAsync("/openapi/v1.json");
        Assert.StartsWith("3.1", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] expected =
        [
            "/v1/traces", "/v1/traces/{traceId}", "/v1/traces/{traceId}/steps", "/v1/traces/{traceId}/seal",
            "/v1/traces/{traceId}/complete", "/v1/traces/{traceId}/proof", "/v1/traces/{traceId}/verify",
            "/v1/traces/{traceId}/certificate", "/v1/traces/public-key", "/v1/events", "/v1/document/anchor", "/v1/ai/attestations",
            "/v1/me",
        ];
        Assert.All(expected, path => Assert.Contains(path, paths));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("x-api-key", scheme.GetProperty("name").GetString());
        var addStep = document.GetProperty("paths").GetProperty("/v1/traces/{traceId}/steps").GetProperty("post");
        Assert.True(addStep.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(addStep.TryGetProperty("security", out _));
        Assert.True(addStep.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.False(document.GetProperty("paths").GetProperty("/v1/traces/public-key").GetProperty("get").TryGetProperty("security", out _));
    }

    [Fact]
    public async Task RequestId_IsEchoedWhenSupplied_AndGeneratedOtherwise()
    {
        using var api = new TracesApi(Server);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/traces?limit=1");
        request.Headers.Add("x-request-id", "client-req-42");
        var echoed = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("client-req-42", Assert.Single(echoed.Headers.GetValues("x-request-id")));

        var generated = await api.GetAsync("/v1/traces?limit=1");
        Assert.Matches("^req_[0-9A-Z]{26}$", Assert.Single(generated.Headers.GetValues("x-request-id")));
    }
}
