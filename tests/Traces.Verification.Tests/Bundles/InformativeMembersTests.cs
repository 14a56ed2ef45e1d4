using System.Text.Json.Nodes;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;

namespace Traces.Verification.Tests.Bundles;

/// <summary>
/// proof-format §9.5 (issue 11): the informative members Invoance's SDKs read never influence verification. A bundle
/// with them gets exactly the report of the same bundle without them, finding for finding; out of form they add only
/// their own malformed findings.
/// </summary>
public class InformativeMembersTests
{
    /// <summary>The vectors whose informative members are in form: the report must be the one without them.</summary>
    public static TheoryData<string> InForm => new(
        "informative_members_valid", "informative_members_tampered_claims_true", "informative_members_claims_false_valid",
        "informative_members_timestamp_differs_valid");

    /// <summary>The vectors with one informative member out of form (JSON a tree can hold).</summary>
    /// <summary>Each out-of-form vector and the one place its <c>malformed</c> finding names (proof-format §9.5).</summary>
    public static TheoryData<string, string> OutOfForm => new()
    {
        { "informative_members_timestamp_2_number", "/events/2/timestamp" },
        { "informative_members_timestamp_3_seconds", "/events/3/timestamp" },
        { "informative_members_seal_timestamp_null", "/seal_event/timestamp" },
        { "informative_members_verification_extra_member", "/verification/extra" },
        { "informative_members_verification_flag_string", "/verification/composite_hash_valid" },
        { "informative_members_verification_missing_flag", "/verification/all_signatures_valid" },
        { "informative_members_verification_null", "/verification" },
    };

    [Theory]
    [MemberData(nameof(InForm))]
    public async Task InFormMembers_ReportIsExactlyTheReportWithoutThem(string name)
    {
        var vector = ConformanceCases.Get(name);
        var verifier = new BundleVerifier(vector.Trust());

        var with = await verifier.VerifyAsync(new MemoryStream(vector.Json), TestContext.Current.CancellationToken);
        var without = await verifier.VerifyAsync(new MemoryStream(Strip(vector.Json)), TestContext.Current.CancellationToken);

        AssertSameReport(without, with);
        // The typed path reads the members into the model, and is not influenced either.
        AssertSameReport(without, verifier.Verify(BundleJson.TryReadTyped(vector.Json)!));
    }

    [Fact]
    public async Task ClaimsTrueOnTamperedBundle_ChangeNothing_AndClaimsFalseOnIntactBundle_ChangeNothing()
    {
        var verifier = new BundleVerifier(TestKeys.TrustBoth());
        var tampered = ConformanceCases.Get("informative_members_tampered_claims_true");
        var report = await verifier.VerifyAsync(new MemoryStream(tampered.Json), TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        var finding = Assert.Single(report.Findings);
        Assert.Equal((FindingCodes.PayloadHashMismatch, "/events/2/payload_hash", 2L), (finding.Code, finding.Location, finding.EntryIndex));
        Assert.Equal(2, report.FirstInvalidEntry?.EntryIndex);

        var intact = await verifier.VerifyAsync(new MemoryStream(ConformanceCases.Get("informative_members_claims_false_valid").Json),
            TestContext.Current.CancellationToken);
        Assert.Equal(Verdict.Valid, intact.Verdict);
        Assert.Empty(intact.Findings);
        Assert.True(intact.CompositeValid);
        Assert.True(intact.SignaturesValid);
    }

    [Theory]
    [MemberData(nameof(OutOfForm))]
    public async Task OutOfFormMember_AddsOnlyItsOwnMalformedFinding(string name, string location)
    {
        var vector = ConformanceCases.Get(name);
        var verifier = new BundleVerifier(vector.Trust());

        var with = await verifier.VerifyAsync(new MemoryStream(vector.Json), TestContext.Current.CancellationToken);
        var without = await verifier.VerifyAsync(new MemoryStream(Strip(vector.Json)), TestContext.Current.CancellationToken);

        var own = Assert.Single(with.Findings, IsInformative);
        Assert.Equal((FindingCodes.Malformed, location), (own.Code, own.Location));
        Assert.Equal(without.Findings, with.Findings.Where(f => !IsInformative(f)));
        Assert.Equal(Verdict.Valid, without.Verdict);
        Assert.Equal(CheckState.Failed, with.StateOf(VerificationCheck.Form));
        foreach (var check in without.Checks.Where(c => c.Check != VerificationCheck.Form))
        {
            Assert.Equal(check.State, with.StateOf(check.Check));
        }
    }

    [Theory]
    [InlineData("{\"composite_hash_valid\":true,\"all_signatures_valid\":false}", new string[0])]
    [InlineData("null", new[] { "/verification" })]
    [InlineData("[true,true]", new[] { "/verification" })]
    [InlineData("{}", new[] { "/verification/composite_hash_valid", "/verification/all_signatures_valid" })]
    [InlineData("{\"composite_hash_valid\":1,\"all_signatures_valid\":null}", new[] { "/verification/composite_hash_valid", "/verification/all_signatures_valid" })]
    [InlineData("{\"composite_hash_valid\":true,\"composite_hash_valid\":true,\"all_signatures_valid\":true}", new[] { "/verification/composite_hash_valid" })]
    [InlineData("{\"composite_hash_valid\":true,\"all_signatures_valid\":true,\"\\ud800\":{\"x\":[1]}}", new[] { "/verification/\uFFFD" })]
    public void VerificationForm_ProblemsAreExactlyThese(string json, string[] locations)
    {
        var problems = InformativeMembers.VerificationProblems(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Equal(locations, problems.Select(p => p.Location));
    }

    private static bool IsInformative(Finding finding) =>
        finding.Location is { } at && (at.EndsWith("/timestamp", StringComparison.Ordinal) || at.StartsWith("/verification", StringComparison.Ordinal));

    private static void AssertSameReport(VerificationReport expected, VerificationReport actual)
    {
        Assert.Equal(expected.Verdict, actual.Verdict);
        Assert.Equal(expected.Findings, actual.Findings);
        Assert.Equal(expected.FirstInvalidEntry, actual.FirstInvalidEntry);
        Assert.Equal(expected.CompositeHash, actual.CompositeHash);
        Assert.Equal(expected.IntegrityRootHash, actual.IntegrityRootHash);
        Assert.Equal(expected.Checks.Select(c => (c.Check, c.State)), actual.Checks.Select(c => (c.Check, c.State)));
    }

    /// <summary>The same bundle text without the informative members of §9.5 (timestamps and verification).</summary>
    private static byte[] Strip(byte[] json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var entry in node["events"]!.AsArray())
        {
            entry!.AsObject().Remove("timestamp");
        }

        node["seal_event"]!.AsObject().Remove("timestamp");
        node.Remove("verification");
        return BundleJson.Write(node);
    }
}
