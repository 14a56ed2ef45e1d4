using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Serialization;
using Traces.Client.Vendors;
using Traces.Client.Vendors.Novyx;
using Traces.Client.Vendors.SidClaw;
using Traces.Client.Vendors.StateBase;
using Traces.Client.Vendors.ZenMesh;

namespace Traces.Client.Tests.Vendors;

/// <summary>
/// Every JSON example of seeds 001–004 and every body SidClaw's real server sent (tests/vectors/sidclaw/responses)
/// read into the vendor models with no member left untyped, and written back without loss.
/// </summary>
public sealed class VendorExampleTests
{
    private static readonly VendorJsonContext Json = VendorJsonContext.Default;

    [Fact]
    public void NovyxSeed_EveryExample_IsTypedAndRoundTrips()
    {
        var examples = VendorJson.SeedExamples("novyx");

        Assert.Equal(5, examples.Count);
        var started = VendorJson.AssertRoundTrip(examples[0], Json.NovyxTrace);
        var step = VendorJson.AssertRoundTrip(examples[1], Json.NovyxStepReceipt);
        var completed = VendorJson.AssertRoundTrip(examples[2], Json.NovyxCompletion);
        var details = VendorJson.AssertRoundTrip(examples[3], Json.NovyxTraceDetails);
        var verified = VendorJson.AssertRoundTrip(examples[4], Json.NovyxVerification);

        Assert.Equal("trc_a1b2c3d4e5f6", started.TraceId);
        Assert.Equal(NovyxTraceStatus.Active, started.Status);
        Assert.Equal("stp_f6e5d4c3b2a1", step.StepId);
        Assert.Equal("a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", step.IntegrityChainHash);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", completed.IntegrityRootHash);
        Assert.Equal("MGYCMQDJnGm1LQ3...", completed.Signature);
        Assert.Null(completed.SignatureBytes());
        Assert.Equal(4, details.StepCount);
        Assert.Equal(2, details.Steps!.Count);
        Assert.Null(details.Steps[0].PreviousChainHash);
        Assert.Equal(details.Steps[0].ChainHash, details.Steps[1].PreviousChainHash);
        Assert.Equal(Models.StepType.Action, details.Steps[1].Type);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 15, 2, 30, TimeSpan.Zero), details.Trace!.CompletedAt);
        Assert.True(verified.Valid);
        Assert.Empty(verified.Discrepancies!);
    }

    [Fact]
    public void NovyxCurrentDocs_NullDiscrepanciesAndRicherCompletion_AreTyped()
    {
        var verified = VendorJson.AssertRoundTrip("""{"valid":true,"chain_valid":true,"signature_valid":true,"discrepancies":null}""", Json.NovyxVerification);
        var completed = VendorJson.AssertRoundTrip(
            """{"trace_id":"trc_a1b2c3d4e5f6","status":"completed","integrity_root_hash":"e3b0","signature":"AAEC","signature_algorithm":"RSA-PSS-SHA256","step_count":4,"signed_at":"2026-03-09T15:02:30Z"}""",
            Json.NovyxCompletion);
        var step = VendorJson.AssertRoundTrip("""{"step_id":"stp_1","step_index":0,"type":"THOUGHT","integrity_chain_hash":"a7ff","was_interrupted":false}""", Json.NovyxStepReceipt);

        Assert.Null(verified.Discrepancies);
        Assert.Equal("RSA-PSS-SHA256", completed.SignatureAlgorithm);
        Assert.Equal(new byte[] { 0, 1, 2 }, completed.SignatureBytes());
        Assert.False(step.WasInterrupted);
    }

    [Fact]
    public void SidClawSeed_EveryExample_IsTypedAndRoundTrips()
    {
        var examples = VendorJson.SeedExamples("sidclaw");

        Assert.Equal(7, examples.Count);
        var list = VendorJson.AssertRoundTrip(examples[0], Json.SidClawTraceList);
        var detail = VendorJson.AssertRoundTrip(examples[1], Json.SidClawTrace);
        var outcome = JsonSerializer.Deserialize(examples[2], Json.SidClawOutcomeRequest)!;
        var verified = VendorJson.AssertRoundTrip(examples[3], Json.SidClawVerification);
        var broken = VendorJson.AssertRoundTrip(examples[4], Json.SidClawVerification);

        // The document elides the export's events as "[ ... ]"; the rest of the example is read as written.
        var export = VendorJson.AssertRoundTrip(examples[5].Replace("[ ... ]", "[]", StringComparison.Ordinal), Json.SidClawTraceExport);
        var audit = VendorJson.AssertRoundTrip(examples[6], Json.IReadOnlyListSidClawAuditEvent);

        Assert.Equal(42, list.Pagination!.Total);
        Assert.True(list.Data![0].HasApproval);
        Assert.Equal(900000, detail.DurationMs);
        Assert.Equal("sha256:abc123...", detail.Events![0].IntegrityHash);
        Assert.Equal("Bob Smith", detail.ApprovalRequests![0].ApproverName);
        Assert.Equal("success", outcome.Status);
        JsonSemantics.AssertEquivalent(JsonNode.Parse(examples[2]), JsonNode.Parse(JsonSerializer.Serialize(outcome, Json.SidClawOutcomeRequest)));
        Assert.True(verified.IsValid);
        Assert.Equal(8, verified.EventCount);
        Assert.False(broken.IsValid);
        Assert.Equal("evt-005", broken.FirstInvalidEvent);
        Assert.Equal("Approved for Q4 deployment", export.ApprovalRequests![0].DecisionNote);
        Assert.Equal("trace_initiated", Assert.Single(audit).EventType);
    }

    [Fact]
    public void ZenMeshSeed_EveryExample_IsTypedAndRoundTrips()
    {
        var examples = VendorJson.SeedExamples("zenmesh");

        Assert.Equal(2, examples.Count);
        var list = VendorJson.AssertRoundTrip(examples[0], Json.ZenMeshDeliveryList);
        var problem = VendorJson.AssertRoundTrip(examples[1], TracesClientJsonContext.Default.TracesProblemDetails);

        Assert.Equal(2, list.Deliveries!.Count);
        Assert.Equal(ZenMeshDeliveryStatus.Failed, list.Deliveries[1].Status);
        Assert.Equal("upstream timeout", list.Deliveries[1].ErrorMessage);
        Assert.Equal(500, list.Deliveries[1].ResponseCode);
        Assert.Equal("https://api.zen-mesh.io/errors/not-found", problem.Type);
        Assert.Equal(404, problem.Status);
    }

    [Fact]
    public void StateBaseSeed_HasNoJsonExample_SoTheDocsShapesAreTested()
    {
        // Seed 004 was captured with its code blocks collapsed; the shapes below are those StateBase documents
        // (docs api-reference traces.mdx and introduction.mdx), with values of our own.
        Assert.Empty(VendorJson.SeedExamples("statebase"));

        var list = VendorJson.AssertRoundTrip("""
            {"object":"list","data":[
              {"id":"trace_1","session_id":"sess_1","user_id":"user_1","action":"state.updated","actor":"api_key_sb_ab","timestamp":"2026-01-31T04:45:00Z",
               "details":{"reasoning":"r","state_diff":{"added":{"k":"v"},"removed":{},"modified":{}},"version":3},"metadata":{"request_id":"req_1","latency_ms":45}},
              {"id":"trace_2","session_id":"sess_1","action":"state.rolled_back","actor":"api_key_sb_ab","timestamp":"2026-01-31T04:40:00Z",
               "details":{"from_version":5,"to_version":3,"reason":"corrupt"},
               "resource_type":"session","resource_id":"sess_1","actor_id":"key_1","context":{"request_id":"req_2","api_key_id":"key_1"},"ip_address":"203.0.113.7"}],
             "has_more":true,"first_id":"trace_1","last_id":"trace_2"}
            """, Json.StateBaseTraceList);
        var error = VendorJson.AssertRoundTrip("""{"error":{"code":"rate_limit_exceeded","message":"Retry after 30 seconds.","type":"rate_limit_error","param":null,"retry_after":30}}""", Json.StateBaseError);

        Assert.Equal(StateBaseTraceActions.StateRolledBack, list.Data![1].Action);
        Assert.Equal(3, list.Data[1].Details!["to_version"]!.GetValue<int>());
        Assert.Equal("key_1", list.Data[1].Context!.ApiKeyId);
        Assert.Equal("trace_2", list.LastId);
        Assert.Equal(30, error.Error!.RetryAfter);
    }

    [Theory]
    [InlineData(StateBaseWebhookEventTypes.TraceCreated, StateBaseTraceActions.TurnAdded)]
    [InlineData(StateBaseWebhookEventTypes.TraceRollback, StateBaseTraceActions.StateRolledBack)]
    [InlineData(StateBaseWebhookEventTypes.TraceError, StateBaseTraceActions.StateUpdated)]
    public void StateBaseWebhook_EachTraceEvent_IsTypedAndSigned(string type, string action)
    {
        var payload = Encoding.UTF8.GetBytes(
            "{\"id\":\"evt_1\",\"type\":\"" + type + "\",\"created_at\":\"2026-01-31T04:00:00Z\",\"data\":{\"object\":\"trace\",\"id\":\"trace_9\",\"session_id\":\"sess_1\",\"action\":\"" + action
            + "\",\"actor\":\"api_key_sb_ab\",\"timestamp\":\"2026-01-31T04:00:00Z\",\"details\":{\"reason\":\"x\"}}}");
        const string Secret = "whsec_test";
        var signature = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), payload));

        var parsed = StateBaseWebhooks.ParseTraceEvent(payload);

        VendorJson.AssertNothingLeftOver(parsed, "event");
        Assert.Equal(type, parsed.Type);
        Assert.Equal(type == StateBaseWebhookEventTypes.TraceCreated, parsed.IsTraceCreated);
        Assert.Equal(type == StateBaseWebhookEventTypes.TraceRollback, parsed.IsTraceRollback);
        Assert.Equal(type == StateBaseWebhookEventTypes.TraceError, parsed.IsTraceError);
        Assert.Equal(action, parsed.Data!.Action);
        Assert.True(StateBaseWebhooks.VerifySignature(payload, signature, Secret));
        Assert.True(StateBaseWebhooks.VerifySignature(payload, signature.ToUpperInvariant(), Secret));
        Assert.False(StateBaseWebhooks.VerifySignature(payload, signature, "other"));
        Assert.False(StateBaseWebhooks.VerifySignature(payload[..^1], signature, Secret));
        Assert.False(StateBaseWebhooks.VerifySignature(payload, "not hex", Secret));
    }

    [Fact]
    public void StateBaseWebhook_OtherEventTypeOrNotJson_IsFormatException()
    {
        Assert.Throws<FormatException>(() => StateBaseWebhooks.ParseTraceEvent("""{"id":"evt_1","type":"session.created","data":{}}"""u8));
        Assert.Throws<FormatException>(() => StateBaseWebhooks.ParseTraceEvent("{\"id\":"u8));
    }

    public static TheoryData<string> JsonCaptures() =>
        new(SidClawCapture.All().Where(c => c.Body.Length > 0 && !c.File.Contains("csv", StringComparison.Ordinal)).Select(c => c.File));

    [Fact]
    public void SidClawCaptures_AreEightyTwo_AndEveryBodyIsCoveredHere()
    {
        var all = SidClawCapture.All();

        Assert.Equal(82, all.Count);
        Assert.Equal(82, Directory.GetFiles(SidClawCapture.Folder, "*.body.*").Length);
        Assert.Equal(74, JsonCaptures().Count);
        Assert.Equal(5, all.Count(c => c.Status == 204 && c.Body.Length == 0));
        Assert.Equal(3, all.Count(c => c.File.Contains("csv", StringComparison.Ordinal) && c.Status == 200));
    }

    [Theory]
    [MemberData(nameof(JsonCaptures))]
    public void SidClawCapture_IsTypedAndRoundTrips(string file)
    {
        var capture = SidClawCapture.Load(file);
        var json = capture.BodyText;
        var path = capture.Path;

        if (capture.Status >= 400)
        {
            var error = VendorJson.AssertRoundTrip(json, Json.SidClawError);
            Assert.Equal(capture.Status, error.Status);
            Assert.Equal(capture.Header("x-request-id"), error.RequestId);
        }
        else if (path == "/api/v1/evaluate")
        {
            Assert.NotNull(VendorJson.AssertRoundTrip(json, Json.SidClawEvaluation).TraceId);
        }
        else if (path.StartsWith("/api/v1/approvals/", StringComparison.Ordinal))
        {
            Assert.Equal("approved", VendorJson.AssertRoundTrip(json, Json.SidClawApproval).Status);
        }
        else if (path == "/api/v1/audit/export")
        {
            Assert.Equal(61, VendorJson.AssertRoundTrip(json, Json.IReadOnlyListSidClawAuditEvent).Count);
        }
        else if (path.EndsWith("/verify", StringComparison.Ordinal))
        {
            Assert.NotNull(VendorJson.AssertRoundTrip(json, Json.SidClawVerification).Verified);
        }
        else if (path.EndsWith("/export", StringComparison.Ordinal))
        {
            var export = VendorJson.AssertRoundTrip(json, Json.SidClawTraceExport);
            Assert.All(export.Events!, e => Assert.Null(e.IntegrityHash));
        }
        else if (path == "/api/v1/traces")
        {
            var list = VendorJson.AssertRoundTrip(json, Json.SidClawTraceList);
            Assert.Equal(list.Data!.Count, Math.Min(list.Pagination!.Limit!.Value, (int)(list.Pagination.Total!.Value - list.Pagination.Offset!.Value)));
        }
        else
        {
            Assert.StartsWith("/api/v1/traces/", path, StringComparison.Ordinal);
            var trace = VendorJson.AssertRoundTrip(json, Json.SidClawTrace);
            Assert.Equal(path["/api/v1/traces/".Length..], trace.Id);
        }
    }

    [Fact]
    public void SidClawVerify_TamperedCapture_NamesTheBrokenLink()
    {
        var verify = JsonSerializer.Deserialize(SidClawCapture.Load("64-tamper-1-description-verify").BodyText, Json.SidClawVerification)!;

        Assert.False(verify.Verified);
        Assert.Equal(5, verify.TotalEvents);
        Assert.Equal(2, verify.VerifiedEvents);
        Assert.Equal("108057fe-61d1-4158-a856-7727efadca4a", verify.BrokenAt!.EventId);
        Assert.Equal(SidClawEventTypes.PolicyEvaluated, verify.BrokenAt.EventType);
        Assert.Equal("ecf0f3e40eac4f30442c91085632d870bd21ec1a8404e95a3684cb2ceabf7cdb", verify.BrokenAt.ExpectedHash);
    }

    [Fact]
    public void SidClawErrorFrom_ReadsTheBodyAnExceptionKept()
    {
        var capture = SidClawCapture.Load("15-outcome-bad-status-400");
        var exception = Traces.Client.Vendors.Http.VendorErrorMapper.FromStatus(400, "Bad Request", capture.BodyText, null, null);

        var error = SidClawError.From(exception)!;

        Assert.Equal(SidClawErrorCodes.ValidationError, error.Error);
        Assert.Equal("invalid_value", error.Details!["issues"]![0]!["code"]!.GetValue<string>());
        Assert.Null(SidClawError.From(new TracesApiException("no body")));
    }
}
