using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>VerifyOfflineAsync fetches the proof and verifies it locally under the caller's pinned keys.</summary>
public sealed class VerifyOfflineTests : WireMockTestBase
{
    private const string Id = "tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z";

    private string ServeBundle(Func<JsonNode, JsonNode>? tamper = null)
    {
        var bundle = TestTraceSigner.Default.CreateBundle(Id, TestTraceSigner.SampleEntries(5));
        var json = JsonSerializer.Serialize(bundle, TracesJsonContext.Default.ProofBundle);
        if (tamper is not null)
        {
            json = tamper(JsonNode.Parse(json)!).ToJsonString();
        }

        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}/proof").UsingGet()).RespondWith(Response.Create().WithBody(json));

        // A lying server: its own check says valid whatever the bundle holds. The client must never ask it.
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}/verify").UsingPost()).RespondWith(Response.Create().WithBody("""{"valid":true,"verdict":"valid"}"""));
        return json;
    }

    [Fact]
    public async Task VerifyOffline_GenuineBundleUnderPinnedKeys_IsValid()
    {
        ServeBundle();
        using var client = CreateClient();

        var report = await client.Traces.VerifyOfflineAsync(Id, TestKeys.TrustBoth(), Ct);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(5, report.EntryCount);
        Assert.Empty(Requests("POST", $"/v1/traces/{Id}/verify"));
    }

    [Fact]
    public async Task VerifyOffline_TamperedPayload_IsInvalid_EvenThoughServerWouldSayValid()
    {
        ServeBundle(node =>
        {
            node["events"]![2]!["payload"] = new JsonObject { ["amount"] = 999999 };
            return node;
        });
        using var client = CreateClient();

        var report = await client.Traces.VerifyOfflineAsync(Id, TestKeys.TrustBoth(), Ct);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.NotEmpty(report.Findings);
    }

    [Fact]
    public async Task VerifyOffline_TamperedBundleWhoseServerClaimsAllValid_IsInvalid_AndTheClaimsAreReadOnlyAsClaims()
    {
        // proof-format §9.5 (issue 11): Invoance's verification flags and timestamps are informative, never used.
        ServeBundle(node =>
        {
            ConformanceCases.Informative(node.AsObject(), compositeHashValid: true, allSignaturesValid: true);
            node["events"]![2]!["payload"] = new JsonObject { ["amount"] = 999999 };
            return node;
        });
        using var client = CreateClient();

        var proof = await client.Traces.GetProofAsync(Id, Ct);
        var report = await client.Traces.VerifyOfflineAsync(Id, TestKeys.TrustBoth(), Ct);

        Assert.True(proof.Verification!.CompositeHashValid);
        Assert.True(proof.Verification.AllSignaturesValid);
        Assert.Equal(proof.Events![1].IngestedAt, proof.Events[1].Timestamp);
        Assert.Equal(proof.SealEvent!.IngestedAt, proof.SealEvent.Timestamp);
        Assert.Equal(Verdict.Invalid, report.Verdict);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((FindingCodes.PayloadHashMismatch, 2L), (finding.Code, finding.EntryIndex));
    }

    [Fact]
    public async Task VerifyOffline_KeysNotPinned_IsNotValid()
    {
        ServeBundle();
        using var client = CreateClient();
        var stranger = TrustPolicy.CreateBuilder().AddKeyId("sha256:" + new string('0', 64)).Build();

        var report = await client.Traces.VerifyOfflineAsync(Id, stranger, Ct);

        Assert.NotEqual(Verdict.Valid, report.Verdict);
    }

    [Fact]
    public async Task VerifyOffline_WhileSealing_IsConflict()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}/proof").UsingGet()).RespondWith(Response.Create().WithStatusCode(409).WithBody("""{"code":"trace_sealing","status":409}"""));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<Errors.TracesConflictException>(() => client.Traces.VerifyOfflineAsync(Id, TestKeys.TrustBoth(), Ct));

        Assert.Equal(Errors.KnownErrorCode.TraceSealing, ex.KnownErrorCode);
    }

    /// <summary>
    /// Issue 9: a hostile proof made VerifyOfflineAsync throw InvalidOperationException (from the verifier). Each of
    /// these is now an Invalid report with its finding: invalid UTF-8 in a member name (with 300 entries, so the
    /// signature workers are running when reading stops), and a certificate event_count beyond I-JSON's 2^53 − 1.
    /// </summary>
    [Theory]
    [InlineData(5, "name")]
    [InlineData(300, "name")]
    [InlineData(5, "event_count")]
    public async Task VerifyOffline_HostileProof_IsAnInvalidReport_NeverAnException(int entries, string hostility)
    {
        var bundle = TestTraceSigner.Default.CreateBundle(Id, TestTraceSigner.SampleEntries(entries));
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);
        var certificate = json.AsSpan().IndexOf("\"certificate\""u8);
        var body = hostility == "name"
            ? HostileBytes.InsertBefore(json, "\"seal_event\""u8, [(byte)'"', 0xFF, .. "\":1,"u8])
            : [.. json.AsSpan(0, certificate), .. HostileBytes.Replace(json.AsSpan(certificate), System.Text.Encoding.UTF8.GetBytes($"\"event_count\":{entries},"),
                "\"event_count\":9007199254740993,"u8)];
        Assert.NotEqual(json.Length, body.Length);
        Server.Given(Request.Create().WithPath($"/v1/traces/{Id}/proof").UsingGet()).RespondWith(Response.Create().WithBody(body));
        using var client = CreateClient();

        var report = await client.Traces.VerifyOfflineAsync(Id, TestKeys.TrustBoth(), Ct);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
    }

    [Fact]
    public async Task GetProof_FeedsBundleVerifierDirectly()
    {
        ServeBundle();
        using var client = CreateClient();

        var bundle = await client.Traces.GetProofAsync(Id, Ct);
        var report = new Traces.Verification.BundleVerifier(TestKeys.TrustBoth()).Verify(bundle);

        Assert.Equal(Verdict.Valid, report.Verdict);
    }
}
