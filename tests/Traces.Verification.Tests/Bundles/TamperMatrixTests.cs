using Traces.TestSupport;
using Traces.Verification.Reports;

namespace Traces.Verification.Tests.Bundles;

public class TamperMatrixTests
{
    public static TheoryData<string> Cases => new(AllCases.Select(c => c.Name));

    /// <summary>Cases whose text has a faithful typed form (not duplicate names, broken JSON, or size and depth limits).</summary>
    public static TheoryData<string> TypedCases => new(AllCases.Where(c => c.Typed).Select(c => c.Name));

    /// <summary>The tamper matrix and the conformance cases of issue 10 (names are distinct).</summary>
    private static IEnumerable<TamperCase> AllCases => TamperCases.All.Concat(ConformanceCases.All);

    private static TamperCase Get(string name) => AllCases.Single(c => c.Name == name);

    [Fact]
    public void Base_IsValidUnderBothTestKeys()
    {
        var report = new BundleVerifier(TestKeys.TrustBoth()).Verify(TamperCases.Base);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.Findings);
        Assert.Equal(6, report.EntryCount);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Tampered_StreamPath_GivesExpectedVerdictAndCodes(string name)
    {
        var tamper = Get(name);
        var verifier = new BundleVerifier(tamper.Trust(), tamper.Limits?.ToOptions());

        var report = await verifier.VerifyAsync(new MemoryStream(tamper.Json), TestContext.Current.CancellationToken);

        AssertMatches(tamper, report);
        // The in-memory overload reads the same bytes the same way.
        Assert.Equal(Codes(report), Codes(verifier.Verify(tamper.Json)));
    }

    [Theory]
    [MemberData(nameof(TypedCases))]
    public async Task Tampered_TypedPath_AgreesWithStreamPath(string name)
    {
        var tamper = Get(name);
        var verifier = new BundleVerifier(tamper.Trust(), tamper.Limits?.ToOptions());
        var bundle = BundleJson.TryReadTyped(tamper.Json);
        Assert.NotNull(bundle);

        var typed = verifier.Verify(bundle);
        var streamed = await verifier.VerifyAsync(new MemoryStream(tamper.Json), TestContext.Current.CancellationToken);

        AssertMatches(tamper, typed);
        Assert.Equal(streamed.Verdict, typed.Verdict);
        Assert.Equal(Codes(streamed), Codes(typed));
        Assert.Equal(streamed.FirstInvalidEntry, typed.FirstInvalidEntry);
    }

    internal static void AssertMatches(TamperCase tamper, VerificationReport report)
    {
        var detail = string.Join("\n", report.Findings.Select(f => $"{f.Code} @{f.EntryIndex} {f.Location}: {f.Message}"));
        Assert.True(tamper.Verdict == report.Verdict, $"{tamper.Name}: verdict {report.Verdict}, expected {tamper.Verdict}\n{detail}");
        Assert.True(tamper.Codes.SequenceEqual(Codes(report)),
            $"{tamper.Name}: codes [{string.Join(", ", Codes(report))}], expected [{string.Join(", ", tamper.Codes)}]\n{detail}");
        if (tamper.PrimaryCode is { } primary)
        {
            Assert.Contains(report.Findings, f => f.Code == primary);
        }

        Assert.Equal(tamper.FirstInvalidEntry, report.FirstInvalidEntry?.EntryIndex);
        if (tamper.Verdict == Verdict.Valid)
        {
            Assert.DoesNotContain(report.Findings, f => f.Severity != FindingSeverity.Info);
        }
    }

    internal static IReadOnlyList<string> Codes(VerificationReport report) =>
        report.Findings.Select(f => f.Code).Distinct().Order(StringComparer.Ordinal).ToList();
}
