using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification.Tests.Bundles;

public class CertificateVerifierTests
{
    private static ProofBundle Small => VectorSet.Small;

    [Fact]
    public void Verify_CertificateUnderPinnedRsaKey_IsValid()
    {
        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(Small.Certificate!);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.Findings);
        Assert.Equal([TestKeys.RsaKeyId], report.TrustedKeyIds);
    }

    [Fact]
    public void Verify_CertificateWithoutTrust_IsUntrusted()
    {
        var report = new CertificateVerifier(TrustPolicy.None).Verify(Small.Certificate!);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal([FindingCodes.UntrustedKey], Codes(report));
    }

    [Fact]
    public void Verify_CertificateWhenOnlyTheEd25519KeyIsPinned_IsUntrusted()
    {
        var trust = TrustPolicy.CreateBuilder().AddEd25519PublicKey(TestKeys.Ed25519PublicRaw).Build();

        var report = new CertificateVerifier(trust).Verify(Small.Certificate!);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal("/key_id", report.Findings.Single().Location);
    }

    [Theory]
    [InlineData("composite_hash", "sha256:0000000000000000000000000000000000000000000000000000000000000000", FindingCodes.CertificateInvalid)]
    [InlineData("trace_id", "tr_forged0001", FindingCodes.CertificateInvalid)]
    [InlineData("sealed_at", "2026-03-17T13:00:00.000000Z", FindingCodes.CertificateInvalid)]
    [InlineData("algorithm", "rsa-pkcs1-sha256", FindingCodes.UnsupportedAlgorithm)]
    [InlineData("v", "traces/v2", FindingCodes.UnsupportedVersion)]
    [InlineData("public_key", AttackerKeys.WeakRsa1024PublicPem, FindingCodes.WeakKey)]
    public void Verify_ChangedCertificate_IsInvalid(string member, string value, string code)
    {
        var certificate = Mutate(Small.Certificate!, c => c[member] = value);

        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(certificate);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Contains(code, Codes(report));
    }

    [Fact]
    public void Verify_CertificateSignatureFlipped_IsCertificateInvalid()
    {
        var certificate = Mutate(Small.Certificate!, c => c["signature"] = FlipLast(c["signature"]!.GetValue<string>()));

        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(certificate);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.CertificateInvalid], Codes(report));
    }

    [Fact]
    public void Verify_CertificateAndItsEntries_IsValid()
    {
        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(Small.Certificate!, Small.Events!);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.Findings);
        Assert.Equal(Small.CompositeHash, report.CompositeHash);
        Assert.Equal(Small.IntegrityRootHash, report.IntegrityRootHash);
        Assert.Equal(5, report.EntryCount);
    }

    [Fact]
    public void Verify_CertificateAndEntriesWithOneMissing_ReportsCountCompositeAndRootAgainstTheCertificate()
    {
        var entries = Small.Events!.Where(e => e.Index != 2).ToList();

        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(Small.Certificate!, entries);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.ChainBroken, FindingCodes.CompositeMismatch, FindingCodes.EventCountMismatch, FindingCodes.IndexMismatch,
            FindingCodes.RootMismatch], Codes(report));
        // The recomputed count, composite and root are compared with the certificate's statement.
        Assert.Equal(["/certificate/composite_hash", "/certificate/event_count", "/certificate/integrity_root_hash"],
            report.Findings.Where(f => f.Location!.StartsWith("/certificate/", StringComparison.Ordinal)).Select(f => f.Location!).Order(StringComparer.Ordinal));
        Assert.False(report.CompositeValid);
        Assert.False(report.ChainValid);
        Assert.Equal(2, report.FirstInvalidEntry?.EntryIndex);
    }

    [Fact]
    public void Verify_CertificateAndNoEntries_IsMalformed()
    {
        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(Small.Certificate!, []);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Contains(FindingCodes.Malformed, Codes(report));
    }

    [Fact]
    public void Verify_CertificateAndEntriesOfAnotherTrace_IsCompositeAndRootMismatch()
    {
        var report = new CertificateVerifier(TestKeys.TrustBoth()).Verify(Small.Certificate!, TamperCases.Base.Events!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        // The small bundle certifies 5 entries; the matrix's base trace has 6.
        Assert.Equal(5, Small.EventCount);
        Assert.Equal(6, TamperCases.Base.Events!.Count);
        Assert.Equal([FindingCodes.CompositeMismatch, FindingCodes.EventCountMismatch, FindingCodes.RootMismatch], Codes(report));
    }

    [Fact]
    public void Verify_CarriedKeyTooSmall_IsWeakKey_ButUnreadable_IsMalformed()
    {
        // Both carried keys are ignored and the pinned key still verifies: only the carried key's own finding remains.
        var weak = Mutate(Small.Certificate!, n => n["public_key"] = AttackerKeys.WeakRsa1024PublicPem);
        var garbled = Mutate(Small.Certificate!, n => n["public_key"] = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        var verifier = new CertificateVerifier(TestKeys.TrustBoth());

        var weakReport = verifier.Verify(weak);
        var garbledReport = verifier.Verify(garbled);

        Assert.Equal([FindingCodes.WeakKey], Codes(weakReport));
        Assert.Equal("/public_key", weakReport.Findings.Single().Location);
        Assert.Equal([FindingCodes.Malformed], Codes(garbledReport));
        Assert.Equal("/public_key", garbledReport.Findings.Single().Location);
        Assert.Equal(Verdict.Invalid, garbledReport.Verdict);
    }

    internal static TraceCertificate Mutate(TraceCertificate certificate, Action<JsonObject> change)
    {
        var node = BundleJson.ToNode(certificate, TracesJsonContext.Default.TraceCertificate).AsObject();
        change(node);
        return JsonSerializer.Deserialize(node.ToJsonString(), TracesJsonContext.Default.TraceCertificate)!;
    }

    internal static string FlipLast(string text) => text[..^1] + (text[^1] == '0' ? '1' : '0');

    internal static IReadOnlyList<string> Codes(VerificationReport report) =>
        report.Findings.Select(f => f.Code).Distinct().Order(StringComparer.Ordinal).ToList();
}
