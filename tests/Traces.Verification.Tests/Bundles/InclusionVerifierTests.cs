using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification.Tests.Bundles;

public class InclusionVerifierTests
{
    private static ProofBundle Small => VectorSet.Small;

    private static readonly InclusionVerifier s_verifier = new(TestKeys.TrustBoth());

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void Verify_EntryWithItsProofAndCertificate_IsValid(int index)
    {
        var report = s_verifier.Verify(Small.Events![index], VectorSet.InclusionProof(Small, index), Small.Certificate!);

        Assert.True(report.Verdict == Verdict.Valid, string.Join("; ", report.Findings));
        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Verify_WithoutTrust_IsUntrusted()
    {
        var report = new InclusionVerifier(TrustPolicy.None).Verify(Small.Events![2], VectorSet.InclusionProof(Small, 2), Small.Certificate!);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal([FindingCodes.UntrustedKey], CertificateVerifierTests.Codes(report));
    }

    [Fact]
    public void Verify_ProofForAnotherIndex_IsProofInvalid()
    {
        var proof = VectorSet.InclusionProof(Small, 2);
        var wrong = With(proof, leafIndex: 3);

        var report = s_verifier.Verify(Small.Events![2], wrong, Small.Certificate!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.ProofInvalid], CertificateVerifierTests.Codes(report));
        Assert.Contains(report.Findings, f => f.Location == "/proof/leaf_index");
    }

    [Fact]
    public void Verify_EntryAgainstAnotherEntrysProof_IsProofInvalid()
    {
        var report = s_verifier.Verify(Small.Events![1], VectorSet.InclusionProof(Small, 2), Small.Certificate!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.ProofInvalid], CertificateVerifierTests.Codes(report));
    }

    [Fact]
    public void Verify_TamperedPathElement_IsProofInvalid()
    {
        var proof = VectorSet.InclusionProof(Small, 2);
        var path = proof.Path!.ToList();
        path[1] = Digest.Compute("forged"u8).ToString();

        var report = s_verifier.Verify(Small.Events![2], With(proof, path: path), Small.Certificate!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.ProofInvalid], CertificateVerifierTests.Codes(report));
        Assert.Contains(report.Findings, f => f.Location == "/proof/path");
    }

    [Fact]
    public void Verify_ProofAndEntryOfAnotherTrace_IsCertificateMismatch()
    {
        var other = TamperCases.Base;

        var report = s_verifier.Verify(other.Events![2], VectorSet.InclusionProof(other, 2), Small.Certificate!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.CertificateMismatch], CertificateVerifierTests.Codes(report));
        Assert.Contains(report.Findings, f => f.Location == "/certificate/composite_hash");
    }

    [Fact]
    public void Verify_TamperedEntryPayload_IsPayloadHashMismatch()
    {
        var entry = Small.Events![2];
        using var forged = JsonDocument.Parse("""{"forged":true}""");
        var tampered = new BundleEntry
        {
            Index = entry.Index, EventId = entry.EventId, EventType = entry.EventType, Payload = forged.RootElement.Clone(),
            PayloadHash = entry.PayloadHash, ContentHash = entry.ContentHash, PreviousChainHash = entry.PreviousChainHash,
            ChainHash = entry.ChainHash, IngestedAt = entry.IngestedAt, KeyId = entry.KeyId, PublicKey = entry.PublicKey, Signature = entry.Signature,
        };

        var report = s_verifier.Verify(tampered, VectorSet.InclusionProof(Small, 2), Small.Certificate!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.PayloadHashMismatch], CertificateVerifierTests.Codes(report));
    }

    private static EntryInclusionProof With(EntryInclusionProof proof, long? leafIndex = null, IReadOnlyList<string>? path = null) => new()
    {
        Version = proof.Version,
        TraceId = proof.TraceId,
        LeafIndex = leafIndex ?? proof.LeafIndex,
        TreeSize = proof.TreeSize,
        CompositeHash = proof.CompositeHash,
        Path = path ?? proof.Path,
    };
}
