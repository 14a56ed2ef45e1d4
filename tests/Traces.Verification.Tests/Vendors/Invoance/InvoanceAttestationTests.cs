using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification.Reports;
using Traces.Verification.Trust;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.Invoance;

namespace Traces.Verification.Tests.Vendors.Invoance;

/// <summary>Invoance AI attestation receipts, made here with the test key (no real receipt is published).</summary>
public class InvoanceAttestationTests
{
    private static readonly string s_publicKeyHex = Convert.ToHexStringLower(TestKeys.Ed25519PublicRaw);

    private static TrustPolicy Pinned => TrustPolicy.CreateBuilder().AddEd25519PublicKey(s_publicKeyHex).Build();

    /// <summary>A receipt shaped as GET /v1/ai/attestations/:id answers (node SDK models/attestations.ts AiAttestation).</summary>
    private static JsonObject Receipt(Key? key = null, byte[]? signedPayload = null)
    {
        signedPayload ??= Encoding.UTF8.GetBytes(SignedPayload.ToJsonString());
        key ??= TestKeys.Ed25519;
        return new JsonObject
        {
            ["attestation_id"] = "att_0123456789",
            ["tenant_id"] = "ten_1",
            ["attestation_type"] = "output",
            ["attestation_hash"] = "5d41402abc4b2a76b9719d911017c592ae3e7cd1b1f1c2c9f6e4f0b2b1a5c3d4",
            ["input_hash"] = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            ["output_hash"] = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7",
            ["signed_payload"] = Convert.ToHexStringLower(signedPayload),
            ["signature"] = Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(key, signedPayload)),
            ["public_key"] = Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)),
            ["signature_alg"] = "Ed25519",
            ["model_provider"] = "openai",
            ["model_name"] = "gpt-4o",
            ["model_version"] = "2024-08-06",
            ["retention_policy"] = "standard",
            ["created_at"] = "2026-12-02T06:00:00Z",
        };
    }

    private static JsonObject SignedPayload => new()
    {
        ["attestation_id"] = "att_0123456789",
        ["attestation_type"] = "output",
        ["attestation_hash"] = "5d41402abc4b2a76b9719d911017c592ae3e7cd1b1f1c2c9f6e4f0b2b1a5c3d4",
        ["input_hash"] = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        ["output_hash"] = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7",
        ["created_at"] = "2026-12-02T06:00:00Z",
    };

    private static VendorReport Verify(JsonObject receipt, TrustPolicy? trust = null) =>
        new InvoanceAttestationVerifier(trust ?? Pinned).Verify(Encoding.UTF8.GetBytes(receipt.ToJsonString()));

    [Fact]
    public void Receipt_SignedByThePinnedKey_IsValid_AndSaysTheHashesAreNotRecomputed()
    {
        var report = Verify(Receipt());

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.AllFindings);
        Assert.Equal("Invoance AI attestation receipt att_0123456789", report.Subject);
        Assert.Equal(
            [(VendorCheckNames.Form, CheckState.Passed), (VendorCheckNames.Signature, CheckState.Passed), (VendorCheckNames.SignedFields, CheckState.Passed),
             (VendorCheckNames.Hashes, CheckState.NotRun), (VendorCheckNames.Trust, CheckState.Passed)],
            report.Checks.Select(c => (c.Name, c.State)));
        Assert.Equal("Compared with the signed payload: attestation_id, attestation_type, attestation_hash, input_hash, output_hash, created_at (6 members).",
            report.Checks.Single(c => c.Name == VendorCheckNames.SignedFields).Detail);
        Assert.Equal("Not recomputed: Invoance does not publish what attestation_hash, input_hash and output_hash digest.",
            report.Checks.Single(c => c.Name == VendorCheckNames.Hashes).Detail);
    }

    [Fact]
    public void Receipt_WithoutAPin_IsUntrusted()
    {
        var report = Verify(Receipt(), TrustPolicy.None);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal(FindingCodes.UntrustedKey, Assert.Single(report.AllFindings).Code);
    }

    [Fact]
    public void FlippedByteOfTheSignedPayload_FailsTheSignature()
    {
        var receipt = Receipt();
        var payload = Convert.FromHexString(receipt["signed_payload"]!.GetValue<string>());
        payload[5] ^= 0x20;
        receipt["signed_payload"] = Convert.ToHexStringLower(payload);

        var report = Verify(receipt);

        Assert.Contains(report.AllFindings, f => f.Code == FindingCodes.SignatureInvalid);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Theory]
    [InlineData("attestation_hash")]
    [InlineData("input_hash")]
    [InlineData("output_hash")]
    [InlineData("created_at")]
    public void ReceiptValueChangedOutsideTheSignature_IsASignedFieldMismatch(string member)
    {
        var receipt = Receipt();
        receipt[member] = "2026-01-01T00:00:00Z";

        var report = Verify(receipt);

        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.SignedFieldMismatch, finding.Code);
        Assert.Equal("/" + member, finding.Location);
        Assert.Equal(SignedPayload[member]!.ToJsonString(), finding.Expected);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public void ReceiptSignedByAnotherKey_IsUntrusted_AndInvalidWhenItClaimsThePinnedKey()
    {
        var other = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var receipt = Receipt(other);

        var report = Verify(receipt);
        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(FindingCodes.UntrustedKey, finding.Code);
        Assert.Equal(receipt["public_key"]!.GetValue<string>(), finding.Actual);
        Assert.Equal(Verdict.Untrusted, report.Verdict);

        receipt["public_key"] = s_publicKeyHex;
        Assert.Equal(FindingCodes.SignatureInvalid, Assert.Single(Verify(receipt).AllFindings).Code);
    }

    [Fact]
    public void PublicKeyFieldReplaced_ThePinnedKeyDecides_AndTheMismatchIsReported()
    {
        var receipt = Receipt();
        receipt["public_key"] = InvoanceVectors.PublicKeyHex;

        var report = Verify(receipt);

        Assert.Equal(FindingCodes.KeyIdMismatch, Assert.Single(report.AllFindings).Code);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public void AnotherAlgorithmClaimed_IsRejected_TheDocumentCannotChoose()
    {
        var receipt = Receipt();
        receipt["signature_alg"] = "RSA-PSS-SHA256";

        Assert.Equal(FindingCodes.UnsupportedAlgorithm, Assert.Single(Verify(receipt).AllFindings).Code);
    }

    [Fact]
    public void SignedPayloadThatIsNotJson_StillHasItsSignatureChecked_TheComparisonDoesNotRun()
    {
        var report = Verify(Receipt(signedPayload: "opaque bytes"u8.ToArray()));

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(CheckState.NotRun, report.StateOf(VendorCheckNames.SignedFields));
        Assert.Equal(CheckState.Passed, report.StateOf(VendorCheckNames.Signature));
    }

    [Theory]
    [InlineData("signed_payload", "zz")]
    [InlineData("signature", "00")]
    [InlineData("public_key", "abcd")]
    public void MalformedEnvelope_IsMalformed(string member, string value)
    {
        var receipt = Receipt();
        receipt[member] = value;

        var report = Verify(receipt);

        Assert.Equal(FindingCodes.Malformed, Assert.Single(report.AllFindings).Code);
        Assert.DoesNotContain(report.Checks, c => c.State == CheckState.Passed);
    }

    [Fact]
    public void TraceProofBundle_IsRecognised_NotMistakenForATracesV1Bundle()
    {
        var proof = new JsonObject
        {
            ["version"] = "1.0",
            ["trace_id"] = "trc_1",
            ["label"] = "onboarding",
            ["status"] = "sealed",
            ["composite_hash"] = new string('a', 64),
            ["event_count"] = 1,
            ["events"] = new JsonArray(new JsonObject { ["event_id"] = "e1", ["content_hash"] = new string('b', 64) }),
            ["verification"] = new JsonObject { ["composite_hash_valid"] = true, ["all_signatures_valid"] = true },
        };

        Assert.True(InvoanceTraceProof.IsTraceProof(Encoding.UTF8.GetBytes(proof.ToJsonString())));
        Assert.Equal(DocumentKind.InvoanceTraceProof, DocumentDetector.Detect(Encoding.UTF8.GetBytes(proof.ToJsonString())));
        Assert.Contains("Its \"verification\" flags (composite_hash_valid, all_signatures_valid) are the server's statement about itself, not evidence",
            DocumentDetector.WhyNotVerifiable(DocumentKind.InvoanceTraceProof));
        var bundle = File.ReadAllBytes(TestVectors.OwnVector("bundle-minimal.json"));
        Assert.False(InvoanceTraceProof.IsTraceProof(bundle));
        Assert.Equal(DocumentKind.TracesV1Bundle, DocumentDetector.Detect(bundle));
    }
}
