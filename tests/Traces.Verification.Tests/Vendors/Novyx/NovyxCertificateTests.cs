using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Traces.TestSupport;
using Traces.Verification.Anchors;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.Novyx;

namespace Traces.Verification.Tests.Vendors.Novyx;

/// <summary>
/// Novyx trace certificates, made here with the RSA-4096 test key under the convention the checkpoints use
/// (RSASSA-PSS-SHA256, MGF1-SHA256, maximum salt, over the UTF-8 of the root hash hex): no real certificate is published.
/// </summary>
public class NovyxCertificateTests
{
    private const string RootHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static TrustPolicy Pinned => TrustPolicy.CreateBuilder().AddRsaPublicKey(TestKeys.RsaPublicPem).Build();

    private static JsonObject Certificate(byte[]? signature = null) => new()
    {
        ["trace_id"] = "trc_a1b2c3d4e5f6",
        ["integrity_root_hash"] = RootHash,
        ["signature"] = Convert.ToBase64String(signature ?? NovyxTestSigner.SignPssMaximumSalt(Encoding.UTF8.GetBytes(RootHash))),
        ["public_key"] = TestKeys.RsaPublicPem,
    };

    private static VendorReport Verify(JsonObject document, TrustPolicy? trust = null) =>
        new NovyxCertificateVerifier(trust ?? Pinned).Verify(Encoding.UTF8.GetBytes(document.ToJsonString()));

    [Fact]
    public void Certificate_UnderTheStatedConvention_Verifies_AndSaysTheConventionIsInferred()
    {
        var report = Verify(Certificate());

        Assert.Equal(Verdict.Valid, report.Verdict);
        var note = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.InferredConvention, note.Code);
        Assert.Equal(FindingSeverity.Info, note.Severity);
        Assert.Equal(NovyxCertificateVerifier.ConventionNote, note.Message);
        Assert.Equal(
            [(VendorCheckNames.Form, CheckState.Passed), (VendorCheckNames.Signature, CheckState.Passed), (VendorCheckNames.Chain, CheckState.NotRun),
             (VendorCheckNames.Trust, CheckState.Passed)],
            report.Checks.Select(c => (c.Name, c.State)));
        Assert.StartsWith("Not run: integrity_root_hash cannot be recomputed", report.Checks.Single(c => c.Name == VendorCheckNames.Chain).Detail);
    }

    [Fact]
    public void TheCheckpointVerifierAgrees_TheSignatureHasTheMaximumSalt()
    {
        var signature = NovyxTestSigner.SignPssMaximumSalt(Encoding.UTF8.GetBytes(RootHash));
        var key = RsaPublicKey.ImportPem(TestKeys.RsaPublicPem);

        Assert.True(key.Verify(Encoding.UTF8.GetBytes(RootHash), signature, RsaSignatureScheme.PssSha256MaximumSalt));
        Assert.False(key.Verify(Encoding.UTF8.GetBytes(RootHash), signature, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 32)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(511)]
    public void FlippedByteOfTheSignature_Fails(int index)
    {
        var signature = NovyxTestSigner.SignPssMaximumSalt(Encoding.UTF8.GetBytes(RootHash));
        signature[index] ^= 0x01;

        var report = Verify(Certificate(signature));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([VendorFindingCodes.InferredConvention, FindingCodes.SignatureInvalid], report.AllFindings.Select(f => f.Code));
    }

    [Fact]
    public void ChangedRootHash_Fails()
    {
        var certificate = Certificate();
        certificate["integrity_root_hash"] = "0" + RootHash[1..];

        Assert.Equal(Verdict.Invalid, Verify(certificate).Verdict);
    }

    [Fact]
    public void CompleteAnswer_IsVerifiedTheSameWay_ItsAlgorithmNameMustBeTheOneNovyxUses()
    {
        var complete = new JsonObject
        {
            ["trace_id"] = "trc_a1b2c3d4e5f6",
            ["status"] = "completed",
            ["integrity_root_hash"] = RootHash,
            ["signature"] = Certificate()["signature"]!.DeepClone(),
            ["signature_algorithm"] = "RSA-PSS-SHA256",
            ["step_count"] = 3,
            ["signed_at"] = "2026-03-09T15:02:30Z",
        };
        Assert.Equal(Verdict.Valid, Verify(complete).Verdict);

        complete["signature_algorithm"] = "RSA-SHA256";
        var report = Verify(complete);
        Assert.Equal(FindingCodes.UnsupportedAlgorithm, Assert.Single(report.AllFindings).Code);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public void WithoutAPinnedKey_TheCertificatesOwnKeyOnlyMakesItUntrusted()
    {
        var report = Verify(Certificate(), TrustPolicy.None);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal([VendorFindingCodes.InferredConvention, FindingCodes.UntrustedKey], report.AllFindings.Select(f => f.Code));
    }

    [Fact]
    public void PinnedNovyxKey_DoesNotVerifyACertificateSignedByTheTestKey()
    {
        var novyx = File.ReadAllText(TestVectors.PathOf("novyx-anchors", "sentinel_public.pem"));
        var certificate = Certificate();
        certificate.Remove("public_key");

        var report = Verify(certificate, TrustPolicy.CreateBuilder().AddRsaPublicKey(novyx).Build());

        Assert.Equal(FindingCodes.SignatureInvalid, report.AllFindings.Last().Code);
    }

    [Theory]
    [InlineData("integrity_root_hash", "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08")]
    [InlineData("integrity_root_hash", "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("signature", "not base64!")]
    [InlineData("public_key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    public void MalformedCertificate_IsMalformed(string member, string value)
    {
        var certificate = Certificate();
        certificate[member] = value;

        var report = Verify(certificate);

        Assert.Equal(FindingCodes.Malformed, Assert.Single(report.AllFindings).Code);
        Assert.DoesNotContain(report.Checks, c => c.State == CheckState.Passed);
    }

    [Fact]
    public void PublishedCheckpoints_AsAReport_Are42ValidItems()
    {
        var folder = TestVectors.PathOf("novyx-anchors", "checkpoints");
        var documents = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => (ReadOnlyMemory<byte>)File.ReadAllBytes(f)).ToList();
        var verifier = NovyxCheckpointVerifier.FromPublishedKeyFile(File.ReadAllBytes(TestVectors.PathOf("novyx-anchors", "sentinel_public.pem")));

        var report = NovyxCheckpointReport.Verify(verifier, documents);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(42, report.Items.Count);
        Assert.All(report.Items, i => Assert.Equal(Verdict.Valid, i.Verdict));
        Assert.Equal("Novyx checkpoints, 42 distinct of 43 documents", report.Subject);
        Assert.All(report.AllFindings, f => Assert.Equal(NovyxFindingCodes.ChainGap, f.Code));
        Assert.Equal(2, report.AllFindings.Count());
        Assert.All(report.Checks, c => Assert.Equal(CheckState.Passed, c.State));

        var tampered = Encoding.UTF8.GetString(documents[7].Span);
        var payloadHash = JsonNode.Parse(tampered)!["payload_hash"]!.GetValue<string>();
        documents[7] = Encoding.UTF8.GetBytes(tampered.Replace(payloadHash, "0" + payloadHash[1..], StringComparison.Ordinal));
        var broken = NovyxCheckpointReport.Verify(verifier, documents);
        Assert.Equal(Verdict.Invalid, broken.Verdict);
        Assert.Equal(
            [("45", FindingCodes.SignatureInvalid), ("46", FindingCodes.ChainBroken)],
            broken.Items.Where(i => i.Verdict == Verdict.Invalid).Select(i => (i.Id, Assert.Single(i.Findings).Code)));
    }
}
