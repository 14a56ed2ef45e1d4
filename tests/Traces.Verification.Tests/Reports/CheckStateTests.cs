using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification.Tests.Reports;

/// <summary>
/// Each check of a report is passed, failed or not run, as recorded by the check itself (issue 8 §5, issue 9 item 3):
/// never passed when it did not run, never passed when a failure went unlisted past <c>MaxFindings</c>.
/// </summary>
public class CheckStateTests
{
    private static readonly VerificationCheck[] s_bundleChecks =
    [
        VerificationCheck.Form, VerificationCheck.Chain, VerificationCheck.Signatures, VerificationCheck.Composite,
        VerificationCheck.Seal, VerificationCheck.Certificate, VerificationCheck.Trust,
    ];

    private static readonly ProofBundle s_bundle = TestTraceSigner.Default.CreateBundle("tr_checks0001", TestTraceSigner.SampleEntries(40));

    public static TheoryData<string> Cases => new(TamperCases.All.Select(c => c.Name));

    [Fact]
    public void ValidBundle_EveryCheckPassed()
    {
        var report = new BundleVerifier(TestKeys.TrustBoth()).Verify(s_bundle);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(s_bundleChecks, report.Checks.Select(c => c.Check));
        Assert.All(report.Checks, c => Assert.Equal(CheckState.Passed, c.State));
        Assert.All(report.Checks, c => Assert.Empty(c.FindingCounts));
        Assert.True(report.ChainValid && report.SignaturesValid && report.CompositeValid);
    }

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"version\": \"traces/v1\", \"events\": [")]
    public void NotABundle_FormFailed_EveryOtherCheckNotRun(string text)
    {
        var report = new BundleVerifier(TestKeys.TrustBoth()).Verify(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(s_bundleChecks, report.Checks.Select(c => c.Check));
        Assert.Equal(CheckState.Failed, report.StateOf(VerificationCheck.Form));
        Assert.Equal([FindingCodes.Malformed], report.Checks[0].FindingCounts.Select(c => c.Code));
        Assert.All(report.Checks.Skip(1), c => Assert.Equal(CheckState.NotRun, c.State));
        Assert.False(report.ChainValid || report.SignaturesValid || report.CompositeValid);
    }

    [Fact]
    public void SignatureFailureBeyondMaxFindings_StillFailsTheSignatureCheck()
    {
        // Ten unknown members (malformed, listed first) fill a limit of five; the moved signature of entry 30 is
        // found afterwards, so it is counted but not listed.
        var tree = BundleJson.ToNode(s_bundle);
        for (var i = 0; i < 10; i++)
        {
            BundleJson.Entry(tree, i)["x_note"] = i;
        }

        BundleJson.Entry(tree, 30)["signature"] = BundleJson.Entry(tree, 29)["signature"]!.GetValue<string>();
        var verifier = new BundleVerifier(TestKeys.TrustBoth(), VerificationOptions.Default with { MaxFindings = 5 });

        var report = verifier.Verify(BundleJson.Write(tree));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.SignatureInvalid);
        Assert.Equal(FindingCodes.FindingsTruncated, report.Findings[^1].Code);
        Assert.Equal(11, report.FindingCount);
        Assert.Equal(CheckState.Failed, report.StateOf(VerificationCheck.Signatures));
        Assert.Equal([new CodeCount(FindingCodes.SignatureInvalid, 1)], report.Checks.Single(c => c.Check == VerificationCheck.Signatures).FindingCounts);
        Assert.Equal([new CodeCount(FindingCodes.Malformed, 10)], report.Checks.Single(c => c.Check == VerificationCheck.Form).FindingCounts);
        Assert.False(report.SignaturesValid);
        Assert.True(report.Has(FindingCodes.SignatureInvalid));
        Assert.Equal(1, report.CountOf(FindingCodes.SignatureInvalid));
        Assert.Equal(10, report.CountOf(FindingCodes.Malformed));
        Assert.Equal(CheckState.Passed, report.StateOf(VerificationCheck.Chain));
        Assert.Equal(CheckState.Passed, report.StateOf(VerificationCheck.Certificate));
    }

    [Fact]
    public void EntryKeyNeitherPinnedNorCarried_SignaturesNotRun_TrustFailed()
    {
        // Only the certificate key is pinned and the entries carry no public_key: nothing can check their signatures.
        var tree = BundleJson.ToNode(s_bundle);
        foreach (var entry in tree["events"]!.AsArray())
        {
            entry!.AsObject().Remove("public_key");
        }

        tree["seal_event"]!.AsObject().Remove("public_key");
        var trust = TrustPolicy.CreateBuilder().AddKey(TestKeys.RsaPublicPem).Build();

        var report = new BundleVerifier(trust).Verify(BundleJson.Write(tree));

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal(CheckState.NotRun, report.StateOf(VerificationCheck.Signatures));
        Assert.Equal(CheckState.Failed, report.StateOf(VerificationCheck.Trust));
        Assert.Equal(CheckState.Passed, report.StateOf(VerificationCheck.Chain));
        Assert.Equal(CheckState.Passed, report.StateOf(VerificationCheck.Certificate));
    }

    [Fact]
    public void UnhashableEntry_ChainCompositeAndSealNotRun_FormFailed()
    {
        var tree = BundleJson.ToNode(s_bundle);
        BundleJson.Entry(tree, 7)["payload_hash"] = "not a digest";

        var report = new BundleVerifier(TestKeys.TrustBoth()).Verify(BundleJson.Write(tree));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(CheckState.Failed, report.StateOf(VerificationCheck.Form));
        Assert.Equal(CheckState.NotRun, report.StateOf(VerificationCheck.Chain));
        Assert.Equal(CheckState.NotRun, report.StateOf(VerificationCheck.Composite));
        Assert.Equal(CheckState.NotRun, report.StateOf(VerificationCheck.Seal));
        Assert.Equal(CheckState.NotRun, report.StateOf(VerificationCheck.Certificate));
    }

    [Fact]
    public void ClaimedCompositeOutOfForm_CompositeNotRun_NeverPassed()
    {
        // The recomputed composite has nothing to be compared with: the form fails, and the composite is not claimed checked.
        var tree = BundleJson.ToNode(s_bundle);
        tree["composite_hash"] = "not a digest";
        tree["integrity_root_hash"] = "not a digest either";

        var report = new BundleVerifier(TestKeys.TrustBoth()).Verify(BundleJson.Write(tree));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(CheckState.Failed, report.StateOf(VerificationCheck.Form));
        Assert.Equal(CheckState.NotRun, report.StateOf(VerificationCheck.Composite));
        Assert.Equal(CheckState.NotRun, report.StateOf(VerificationCheck.Chain));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TamperCase_StatesAgreeWithVerdictAndCodes(string name)
    {
        var tamper = TamperCases.Get(name);
        var report = new BundleVerifier(TestKeys.TrustBoth(), tamper.Limits?.ToOptions()).Verify(tamper.Json);

        // Every error or trust code fails exactly the checks that report it, and only failed checks have counts.
        foreach (var check in report.Checks)
        {
            Assert.Equal(check.State == CheckState.Failed, check.FindingCounts.Count > 0);
        }

        var failedCodes = report.Checks.SelectMany(c => c.FindingCounts.Select(f => f.Code)).ToHashSet();
        Assert.All(report.Findings.Where(f => f.Severity != FindingSeverity.Info), f => Assert.Contains(f.Code, failedCodes));
        switch (report.Verdict)
        {
            case Verdict.Valid:
                Assert.All(report.Checks, c => Assert.Equal(CheckState.Passed, c.State));
                break;
            case Verdict.Untrusted:
                Assert.Equal(CheckState.Failed, report.StateOf(VerificationCheck.Trust));
                Assert.DoesNotContain(report.Checks, c => c.Check != VerificationCheck.Trust && c.State == CheckState.Failed);
                break;
            default:
                Assert.Contains(report.Checks, c => c.Check != VerificationCheck.Trust && c.State == CheckState.Failed);
                break;
        }
    }

    [Fact]
    public void CertificateAlone_FormCertificateTrust()
    {
        var certificate = s_bundle.Certificate!;

        var pinned = new CertificateVerifier(TestKeys.TrustBoth()).Verify(certificate);
        var unpinned = new CertificateVerifier(TrustPolicy.None).Verify(certificate);
        var unpinnedWithoutKey = new CertificateVerifier(TrustPolicy.None).Verify(new TraceCertificate
        {
            Version = certificate.Version, TraceId = certificate.TraceId, EventCount = certificate.EventCount,
            CompositeHash = certificate.CompositeHash, IntegrityRootHash = certificate.IntegrityRootHash,
            SealEventId = certificate.SealEventId, SealedAt = certificate.SealedAt, Algorithm = certificate.Algorithm,
            KeyId = certificate.KeyId, Signature = certificate.Signature,
        });

        Assert.Equal([VerificationCheck.Form, VerificationCheck.Certificate, VerificationCheck.Trust], pinned.Checks.Select(c => c.Check));
        Assert.All(pinned.Checks, c => Assert.Equal(CheckState.Passed, c.State));
        // Not pinned: the carried key still checks the signature (consistent), but the signer is not trusted.
        Assert.Equal(CheckState.Passed, unpinned.StateOf(VerificationCheck.Certificate));
        Assert.Equal(CheckState.Failed, unpinned.StateOf(VerificationCheck.Trust));
        // Not pinned and no carried key: nothing could check the signature.
        Assert.Equal(CheckState.NotRun, unpinnedWithoutKey.StateOf(VerificationCheck.Certificate));
        Assert.Equal(CheckState.Failed, unpinnedWithoutKey.StateOf(VerificationCheck.Trust));
    }

    [Fact]
    public void CertificateWithEntries_KeyIdMismatchOfTheCertificate_FailsTheCertificateCheck()
    {
        var certificate = s_bundle.Certificate!;
        var swapped = BundleJson.ToNode(certificate, TracesJsonContext.Default.TraceCertificate).AsObject();
        swapped["public_key"] = AttackerKeys.Rsa.ExportSubjectPublicKeyInfoPem();
        var edited = JsonSerializer.Deserialize(BundleJson.Write(swapped), TracesJsonContext.Default.TraceCertificate)!;

        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(edited, s_bundle.Events!);

        Assert.Equal([VerificationCheck.Form, VerificationCheck.Chain, VerificationCheck.Signatures, VerificationCheck.Composite,
            VerificationCheck.Certificate, VerificationCheck.Trust], report.Checks.Select(c => c.Check));
        Assert.Equal([new CodeCount(FindingCodes.KeyIdMismatch, 1)], report.Checks.Single(c => c.Check == VerificationCheck.Certificate).FindingCounts);
        Assert.Equal(CheckState.Passed, report.StateOf(VerificationCheck.Signatures));
        Assert.Equal(CheckState.Passed, report.StateOf(VerificationCheck.Chain));
        Assert.Equal(CheckState.Passed, report.StateOf(VerificationCheck.Composite));
    }

    [Fact]
    public void Inclusion_EveryCheckPassed_OrNotRunWhenThePathIsUnreadable()
    {
        var small = VectorSet.Small;
        var proof = VectorSet.InclusionProof(small, 2);
        var verifier = new InclusionVerifier(TestKeys.TrustBoth());

        var valid = verifier.Verify(small.Events![2], proof, small.Certificate!);
        var unreadable = verifier.Verify(small.Events![2], new EntryInclusionProof
        {
            Version = proof.Version, TraceId = proof.TraceId, LeafIndex = proof.LeafIndex, TreeSize = proof.TreeSize,
            CompositeHash = proof.CompositeHash, Path = ["not a digest"],
        }, small.Certificate!);

        Assert.Equal([VerificationCheck.Form, VerificationCheck.Chain, VerificationCheck.Signatures, VerificationCheck.Inclusion,
            VerificationCheck.Certificate, VerificationCheck.Trust], valid.Checks.Select(c => c.Check));
        Assert.All(valid.Checks, c => Assert.Equal(CheckState.Passed, c.State));
        Assert.Equal(CheckState.Failed, unreadable.StateOf(VerificationCheck.Form));
        Assert.Equal(CheckState.NotRun, unreadable.StateOf(VerificationCheck.Inclusion));
        Assert.Equal(CheckState.Passed, unreadable.StateOf(VerificationCheck.Signatures));
    }

    [Fact]
    public void EveryFindingCodeThatCanFail_BelongsToACheck()
    {
        var informative = new[] { FindingCodes.PayloadWithheld, FindingCodes.FindingsTruncated };
        var codes = typeof(FindingCodes).GetFields().Select(f => (string)f.GetValue(null)!).Except(informative);

        Assert.Equal(codes.Order(StringComparer.Ordinal), CheckCodes.Known.Order(StringComparer.Ordinal));
    }
}
