using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Verification.Vendors.Novyx;

/// <summary>
/// Verifies a Novyx trace certificate (<c>GET /v1/traces/{id}/certificate</c>) or the answer of
/// <c>POST /v1/traces/{id}/complete</c> offline: the RSASSA-PSS-SHA256 signature (MGF1-SHA256, salt length recovered
/// from the signature) over the UTF-8 text of <c>integrity_root_hash</c>, under an RSA key the caller pinned. That a
/// trace is signed exactly as Novyx's published checkpoints sign their <c>payload_hash</c> is an inference from the
/// checkpoints, not a published fact, and the report says so; the root itself cannot be recomputed (the step, chain
/// and root formulas are unpublished). The certificate's <c>public_key</c> only tells an unpinned but consistent
/// certificate (Untrusted) from a broken one. Immutable and thread-safe.
/// </summary>
public sealed class NovyxCertificateVerifier
{
    /// <summary>The one signature scheme accepted; a document cannot choose another.</summary>
    public static readonly RsaSignatureScheme Scheme = RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Recover);

    /// <summary>The sentence every report carries about the convention.</summary>
    public const string ConventionNote =
        "Inferred, not published: the signature is checked over the UTF-8 text of integrity_root_hash with RSASSA-PSS-SHA256 "
        + "(MGF1-SHA256, salt recovered), the convention of Novyx's published checkpoints (novyx-anchors); Novyx does not "
        + "state that trace certificates use it.";

    private readonly TrustPolicy _trust;
    private readonly VerificationOptions _options;

    /// <summary>Creates a verifier that trusts the RSA keys pinned in <paramref name="trust"/>.</summary>
    public NovyxCertificateVerifier(TrustPolicy trust, VerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _trust = trust;
        _options = options ?? VerificationOptions.Default;
    }

    /// <summary>Verifies one certificate or complete answer.</summary>
    public VendorReport Verify(ReadOnlySpan<byte> utf8Json)
    {
        var builder = new VendorReportBuilder(VendorFormats.NovyxCertificate, _options.MaxFindings);
        builder.Subject = "Novyx trace certificate";
        builder.Check(VendorCheckNames.Form, "integrity_root_hash (64 lowercase hex digits) and signature (standard base64); signature_algorithm, if shown, RSA-PSS-SHA256.");
        builder.Check(VendorCheckNames.Signature, "RSASSA-PSS-SHA256, MGF1-SHA256, salt recovered, over the UTF-8 text of integrity_root_hash (inferred convention).");
        builder.Check(VendorCheckNames.Chain,
            "Not run: integrity_root_hash cannot be recomputed from the steps; Novyx does not publish the formulas of a step's "
            + "integrity_hash, chain_hash or the root.");
        builder.Check(VendorCheckNames.Trust, "The signature verifies under an RSA key pinned by the caller.");

        if (!VendorJson.TryParseDocument(utf8Json, _options.MaxDepth, builder, out var document))
        {
            return builder.Build();
        }

        using (document)
        {
            var root = document.RootElement;
            var traceId = Text(root, "trace_id");
            var item = builder.AddItem("certificate", traceId ?? "certificate");
            if (traceId is not null)
            {
                builder.Subject = $"Novyx trace certificate for {traceId}";
            }

            void Add(string check, string code, FindingSeverity severity, string message, string? location, string? expected = null, string? actual = null) =>
                builder.Add(check, new Finding(code, severity, message) { Location = location, Expected = expected, Actual = actual }, item);

            var rootHash = Text(root, "integrity_root_hash");
            if (rootHash is not { Length: 64 } || !rootHash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            {
                Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error,
                    "integrity_root_hash must be 64 lowercase hex digits (the form the checkpoints sign).", "/integrity_root_hash");
                return builder.Build();
            }

            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(Text(root, "signature") ?? throw new FormatException());
            }
            catch (FormatException)
            {
                Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error, "signature is missing or not standard base64.", "/signature");
                return builder.Build();
            }

            if (root.TryGetProperty("signature_algorithm", out var algorithm) && Text(root, "signature_algorithm") != "RSA-PSS-SHA256")
            {
                Add(VendorCheckNames.Signature, FindingCodes.UnsupportedAlgorithm, FindingSeverity.Error,
                    $"signature_algorithm is {algorithm.GetRawText()}; Novyx traces are RSA-PSS-SHA256 and a document cannot choose another.",
                    "/signature_algorithm");
                return builder.Build();
            }

            RsaPublicKey? carried = null;
            if (Text(root, "public_key") is { } pem && !RsaPublicKey.TryImportPem(pem, out carried, out var reason, out var tooSmall))
            {
                Add(VendorCheckNames.Form, tooSmall ? FindingCodes.WeakKey : FindingCodes.Malformed, FindingSeverity.Error,
                    $"public_key is not a usable RSA key: {reason}", "/public_key");
                return builder.Build();
            }

            builder.Completed(VendorCheckNames.Form);
            var message = Encoding.UTF8.GetBytes(rootHash);
            var state = VendorSigners.VerifyRsa(_trust, carried, message, signature, Scheme, out var signer);
            if (state != SignerState.NoKey)
            {
                Add(VendorCheckNames.Signature, VendorFindingCodes.InferredConvention, FindingSeverity.Info, ConventionNote, "/signature");
            }

            switch (state)
            {
                case SignerState.Pinned:
                    builder.Completed(VendorCheckNames.Signature);
                    builder.Completed(VendorCheckNames.Trust);
                    if (carried is not null && !carried.Equals(signer))
                    {
                        Add(VendorCheckNames.Signature, FindingCodes.KeyIdMismatch, FindingSeverity.Error,
                            "The signature verifies under a pinned key, but public_key is another key.", "/public_key",
                            signer!.KeyId.ToString(), carried.KeyId.ToString());
                    }

                    break;
                case SignerState.Unpinned:
                    builder.Completed(VendorCheckNames.Signature);
                    Add(VendorCheckNames.Trust, FindingCodes.UntrustedKey, FindingSeverity.Trust,
                        "The signature verifies only under the certificate's own public_key, which no one pinned.", "/public_key",
                        actual: carried!.KeyId.ToString());
                    break;
                case SignerState.Invalid:
                    Add(VendorCheckNames.Signature, FindingCodes.SignatureInvalid, FindingSeverity.Error,
                        "The signature does not verify over integrity_root_hash under the inferred convention"
                        + (carried is null ? " with any pinned key." : "."), "/signature");
                    break;
                default:
                    Add(VendorCheckNames.Trust, FindingCodes.UntrustedKey, FindingSeverity.Trust,
                        "No RSA key is pinned and the certificate carries none: the signature could not be checked.", "/signature");
                    break;
            }

            return builder.Build();
        }
    }

    private static string? Text(JsonElement root, string name) => Invoance.InvoanceAuditVerifier.Text(root, name);
}
