using System.Globalization;
using System.Text.Json;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Verification.Vendors.Invoance;

/// <summary>
/// Verifies an Invoance AI attestation receipt (<c>GET /v1/ai/attestations/:id</c>) offline, as all five official
/// SDKs do (<c>verifySignature</c>): Ed25519 over the bytes of <c>signed_payload</c> (hex), here under a key the caller
/// pinned; the receipt's <c>public_key</c> only tells an unpinned but consistent receipt (Untrusted) from a broken one.
/// Then every value the receipt shows outside the signature (<c>attestation_hash</c>, <c>input_hash</c>, …) that the
/// signed payload also holds must equal the signed value. What the hashes digest is not published, so they are not
/// recomputed (the report says so). Immutable and thread-safe.
/// </summary>
public sealed class InvoanceAttestationVerifier
{
    /// <summary>The receipt members that carry the signature itself, not signed values.</summary>
    private static readonly string[] s_envelope = ["signed_payload", "signature", "public_key", "signature_alg"];

    private readonly TrustPolicy _trust;
    private readonly VerificationOptions _options;

    /// <summary>Creates a verifier that trusts the Ed25519 keys pinned in <paramref name="trust"/>.</summary>
    public InvoanceAttestationVerifier(TrustPolicy trust, VerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _trust = trust;
        _options = options ?? VerificationOptions.Default;
    }

    /// <summary>Verifies one receipt.</summary>
    public VendorReport Verify(ReadOnlySpan<byte> utf8Json)
    {
        var builder = new VendorReportBuilder(VendorFormats.InvoanceAttestation, _options.MaxFindings);
        builder.Subject = "Invoance AI attestation receipt";
        builder.Check(VendorCheckNames.Form, "signed_payload (hex), signature (64 bytes, hex) and public_key (32 bytes, hex), as the SDKs read them.");
        builder.Check(VendorCheckNames.Signature, "Ed25519 over the bytes of signed_payload.");
        builder.Check(VendorCheckNames.SignedFields,
            "Each receipt member that the signed payload also holds (attestation_hash, input_hash, output_hash, …) equals the signed value.");
        builder.Check(VendorCheckNames.Hashes,
            "Not recomputed: Invoance does not publish what attestation_hash, input_hash and output_hash digest.");
        builder.Check(VendorCheckNames.Trust, "The signature verifies under an Ed25519 key pinned by the caller.");

        if (!VendorJson.TryParseDocument(utf8Json, _options.MaxDepth, builder, out var document))
        {
            return builder.Build();
        }

        using (document)
        {
            var receipt = document.RootElement;
            var id = InvoanceAuditVerifier.Text(receipt, "attestation_id");
            var item = builder.AddItem("attestation", id ?? "attestation");
            if (id is not null)
            {
                builder.Subject = $"Invoance AI attestation receipt {id}";
            }

            void Add(string check, string code, FindingSeverity severity, string message, string? location, string? expected = null, string? actual = null) =>
                builder.Add(check, new Finding(code, severity, message) { Location = location, Expected = expected, Actual = actual }, item);

            if (receipt.ValueKind != JsonValueKind.Object
                || !Hex.TryDecode(InvoanceAuditVerifier.Text(receipt, "signed_payload"), -1, out var signedPayload)
                || !Hex.TryDecode(InvoanceAuditVerifier.Text(receipt, "signature"), Ed25519Verifier.SignatureLength, out var signature))
            {
                Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error,
                    "A receipt is a JSON object with signed_payload (hex) and signature (64 bytes, hex).", null);
                return builder.Build();
            }

            Ed25519PublicKey? carried = null;
            var keyText = InvoanceAuditVerifier.Text(receipt, "public_key");
            if (keyText is not null && (!Hex.TryDecode(keyText, Ed25519PublicKey.Length, out var keyBytes) || !Ed25519PublicKey.TryImport(keyBytes, out carried)))
            {
                Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error, "public_key is not a 32-byte Ed25519 key in hex.", "/public_key");
                return builder.Build();
            }

            var algorithm = InvoanceAuditVerifier.Text(receipt, "signature_alg");
            if (receipt.TryGetProperty("signature_alg", out _) && !string.Equals(algorithm, "ed25519", StringComparison.OrdinalIgnoreCase))
            {
                // The format fixes Ed25519; a receipt cannot ask for another algorithm.
                Add(VendorCheckNames.Signature, FindingCodes.UnsupportedAlgorithm, FindingSeverity.Error,
                    $"signature_alg is {receipt.GetProperty("signature_alg").GetRawText()}; Invoance attestations are Ed25519.", "/signature_alg");
                return builder.Build();
            }

            builder.Completed(VendorCheckNames.Form);
            var state = VendorSigners.VerifyEd25519(_trust, carried, signedPayload, signature, out var signer);
            switch (state)
            {
                case SignerState.Pinned:
                    builder.Completed(VendorCheckNames.Signature);
                    builder.Completed(VendorCheckNames.Trust);
                    if (carried is not null && !carried.Equals(signer))
                    {
                        Add(VendorCheckNames.Signature, FindingCodes.KeyIdMismatch, FindingSeverity.Error,
                            "The signature verifies under a pinned key, but public_key names another key.", "/public_key", signer!.ToString(), carried.ToString());
                    }

                    break;
                case SignerState.Unpinned:
                    builder.Completed(VendorCheckNames.Signature);
                    Add(VendorCheckNames.Trust, FindingCodes.UntrustedKey, FindingSeverity.Trust,
                        "The signature verifies only under the receipt's own public_key, which no one pinned.", "/public_key", actual: carried!.ToString());
                    break;
                case SignerState.Invalid:
                    Add(VendorCheckNames.Signature, FindingCodes.SignatureInvalid, FindingSeverity.Error,
                        "The Ed25519 signature over signed_payload does not verify" + (carried is null ? " under any pinned key." : "."), "/signature");
                    break;
                default:
                    Add(VendorCheckNames.Trust, FindingCodes.UntrustedKey, FindingSeverity.Trust,
                        "No Ed25519 key is pinned and the receipt carries none: the signature could not be checked.", "/signature");
                    break;
            }

            CompareSignedFields(receipt, signedPayload, builder, Add);
            return builder.Build();
        }
    }

    private void CompareSignedFields(JsonElement receipt, byte[] signedPayload, VendorReportBuilder builder,
        Action<string, string, FindingSeverity, string, string?, string?, string?> add)
    {
        JsonDocument signed;
        try
        {
            signed = JsonDocument.Parse(signedPayload, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = _options.MaxDepth });
        }
        catch (JsonException)
        {
            builder.Check(VendorCheckNames.SignedFields, "Not run: the signed payload is not JSON, so no receipt value can be compared with it.");
            return;
        }

        using (signed)
        {
            if (signed.RootElement.ValueKind != JsonValueKind.Object)
            {
                builder.Check(VendorCheckNames.SignedFields, "Not run: the signed payload is not a JSON object.");
                return;
            }

            var compared = new List<string>();
            foreach (var member in receipt.EnumerateObject())
            {
                if (s_envelope.Contains(member.Name) || !signed.RootElement.TryGetProperty(member.Name, out var signedValue))
                {
                    continue;
                }

                compared.Add(member.Name);
                if (!JsonElement.DeepEquals(member.Value, signedValue))
                {
                    add(VendorCheckNames.SignedFields, VendorFindingCodes.SignedFieldMismatch, FindingSeverity.Error,
                        $"The receipt's {member.Name} is not the signed value: the receipt was changed outside its signature.",
                        "/" + member.Name, signedValue.GetRawText(), member.Value.GetRawText());
                }
            }

            if (compared.Count == 0)
            {
                builder.Check(VendorCheckNames.SignedFields, "Not run: the signed payload holds none of the receipt's members.");
                return;
            }

            builder.Check(VendorCheckNames.SignedFields,
                $"Compared with the signed payload: {string.Join(", ", compared)} ({compared.Count.ToString(CultureInfo.InvariantCulture)} members).");
            builder.Completed(VendorCheckNames.SignedFields);
        }
    }
}
