using System.Security.Cryptography;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Verification.Pipeline;

/// <summary>
/// Checks a certificate (proof-format §7.2): its form, its RSA-PSS signature under a pinned key, and its statement
/// against the values the caller recomputed. The scheme is fixed by the format (RSASSA-PSS, SHA-256, MGF1-SHA-256,
/// salt 32); the certificate's <c>algorithm</c> member can only fail the check, never choose another scheme.
/// </summary>
internal static class CertificateChecks
{
    /// <summary>The one signature scheme of traces/v1 certificates.</summary>
    public static RsaSignatureScheme Scheme { get; } = RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 32);

    /// <summary>What of the certificate could be checked, for the caller to decide whether its checks ran to the end.</summary>
    /// <param name="SignatureChecked">The RSASSA-PSS signature was verified (whatever the outcome) under a known key.</param>
    /// <param name="SignerIdentified">The signing key was identified as pinned or as not pinned.</param>
    internal readonly record struct Outcome(bool SignatureChecked, bool SignerIdentified);

    /// <summary>
    /// Checks <paramref name="certificate"/>. Null expected values are not compared (the caller could not recompute them).
    /// </summary>
    public static Outcome Check(TraceCertificate? certificate, TrustPolicy trust, ReportBuilder report, string at,
        string? traceId, long? eventCount, Digest? compositeHash, Digest? rootHash, string? sealEventId, string? sealedAt)
    {
        if (certificate is null)
        {
            report.Add(Malformed("The bundle has no certificate.", at));
            return default;
        }

        foreach (var name in certificate.AdditionalProperties?.Keys ?? [])
        {
            report.Add(Malformed($"'{name}' is not a member of a certificate in traces/v1.", $"{at}/{name}"));
        }

        if (certificate.Version != EntryHasher.FormatVersion)
        {
            report.Add(new Finding(FindingCodes.UnsupportedVersion, FindingSeverity.Error, $"The certificate's v is '{certificate.Version ?? "missing"}'.")
            { Location = at + "/v", Expected = EntryHasher.FormatVersion, Actual = certificate.Version });
        }

        // Each statement member in its form (§7.2, §3, §2.1); one out of form is malformed and is not compared, and the
        // statement, which then has no canonical form to sign, is not checked against the signature.
        var traceIdOk = Form(report, at, "trace_id", TraceIdentifiers.IsValidId(certificate.TraceId), "is missing or outside the identifier character set (§3.1)");
        var countOk = Form(report, at, "event_count", JsonIntegers.IsSafe(certificate.EventCount), "is missing or not an integer within ±(2^53−1) (§2.2 rule 4)");
        var compositeOk = Form(report, at, "composite_hash", Digest.TryParse(certificate.CompositeHash, out _), "is missing or not a sha256: digest");
        var rootOk = Form(report, at, "integrity_root_hash", Digest.TryParse(certificate.IntegrityRootHash, out _), "is missing or not a sha256: digest");
        var sealIdOk = Form(report, at, "seal_event_id", TraceIdentifiers.IsValidId(certificate.SealEventId), "is missing or outside the identifier character set (§3.1)");
        var sealedAtOk = Form(report, at, "sealed_at", TraceTimestamp.IsCanonical(certificate.SealedAt), "is missing or not a canonical timestamp (§3.2)");
        var keyIdOk = Form(report, at, "key_id", Digest.TryParse(certificate.KeyId, out _), "is missing or not a sha256: digest");

        if (traceIdOk)
        {
            Compare(report, at, "trace_id", traceId, certificate.TraceId);
        }

        if (countOk)
        {
            Compare(report, at, "event_count", eventCount?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                certificate.EventCount?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (compositeOk)
        {
            Compare(report, at, "composite_hash", compositeHash?.ToString(), certificate.CompositeHash);
        }

        if (rootOk)
        {
            Compare(report, at, "integrity_root_hash", rootHash?.ToString(), certificate.IntegrityRootHash);
        }

        if (sealIdOk)
        {
            Compare(report, at, "seal_event_id", sealEventId, certificate.SealEventId);
        }

        if (sealedAtOk)
        {
            Compare(report, at, "sealed_at", sealedAt, certificate.SealedAt);
        }

        var statementOk = certificate.Version is not null && traceIdOk && countOk && compositeOk && rootOk && sealIdOk && sealedAtOk && keyIdOk;
        return CheckSignature(certificate, trust, report, at, statementOk);
    }

    private static bool Form(ReportBuilder report, string at, string member, bool ok, string problem)
    {
        if (!ok)
        {
            report.Add(Malformed($"The certificate's {member} {problem}.", $"{at}/{member}"));
        }

        return ok;
    }

    private static Outcome CheckSignature(TraceCertificate certificate, TrustPolicy trust, ReportBuilder report, string at, bool statementOk)
    {
        if (certificate.Algorithm != WireEncoding.RsaPssSha256)
        {
            report.Add(new Finding(FindingCodes.UnsupportedAlgorithm, FindingSeverity.Error,
                $"The certificate names algorithm '{certificate.Algorithm ?? "missing"}'; traces/v1 certificates are '{WireEncoding.RsaPssSha256}'.")
            { Location = at + "/algorithm", Expected = WireEncoding.RsaPssSha256, Actual = certificate.Algorithm });
            return default;
        }

        if (!WireEncoding.TryParseRsaPssSignature(certificate.Signature, out var signature))
        {
            report.Add(Malformed("The certificate's signature is not 'rsa-pss-sha256:' followed by lowercase hex digits.", at + "/signature"));
            return default;
        }

        if (!statementOk)
        {
            return default;
        }

        var keyId = Digest.Parse(certificate.KeyId!);
        var digest = certificate.ToStatement().ComputeDigest();
        RsaPublicKey? carried = null;
        if (certificate.PublicKey is not null)
        {
            // §7.2: SubjectPublicKeyInfo PEM; a PKCS#1 "RSA PUBLIC KEY" block is another form, however the same key.
            if (!RsaPublicKey.TryImportSubjectPublicKeyInfoPem(certificate.PublicKey, out carried, out var reason, out var weak))
            {
                report.Add(new Finding(weak ? FindingCodes.WeakKey : FindingCodes.Malformed, FindingSeverity.Error,
                    $"The certificate's public_key is not usable: {reason}") { Location = at + "/public_key" });
                carried = null;
            }
            else if (carried.KeyId != keyId)
            {
                // The certificate's key, not an entry's: it fails the certificate check.
                report.Add(new Finding(FindingCodes.KeyIdMismatch, FindingSeverity.Error,
                    $"The certificate's key_id is not the SHA-256 of its public_key's SubjectPublicKeyInfo ({carried.KeyId}).")
                { Location = at + "/key_id", Expected = carried.KeyId.ToString(), Actual = certificate.KeyId }, VerificationCheck.Certificate);
                return default;
            }
        }

        RsaPublicKey? key;
        var trusted = true;
        if (trust.TryGetRsa(keyId, out var pinned))
        {
            key = pinned;
        }
        else
        {
            key = carried;
            trusted = carried is not null && trust.IsPinnedFingerprint(keyId);
        }

        if (!trusted)
        {
            report.Add(new Finding(FindingCodes.UntrustedKey, FindingSeverity.Trust,
                $"The certificate is signed by key {keyId}, which the trust policy does not pin.")
            { Location = at + "/key_id", Actual = keyId.ToString() });
        }

        if (key is null)
        {
            return new Outcome(SignatureChecked: false, SignerIdentified: true);
        }

        if (trusted)
        {
            report.AddTrustedKey(keyId.ToString());
        }

        if (!key.Verify(SignedMessage.Create(SignatureLabels.Certificate, digest), signature, Scheme))
        {
            report.Add(new Finding(FindingCodes.CertificateInvalid, FindingSeverity.Error,
                "The certificate's RSASSA-PSS signature does not verify over its statement.")
            { Location = at + "/signature" });
        }

        return new Outcome(SignatureChecked: true, SignerIdentified: true);
    }

    private static void Compare(ReportBuilder report, string at, string member, string? expected, string? actual)
    {
        if (expected is not null && !string.Equals(expected, actual, StringComparison.Ordinal))
        {
            report.Add(new Finding(FindingCodes.CertificateMismatch, FindingSeverity.Error, $"The certificate's {member} is not this trace's.")
            { Location = $"{at}/{member}", Expected = expected, Actual = actual });
        }
    }

    private static Finding Malformed(string message, string location) =>
        new(FindingCodes.Malformed, FindingSeverity.Error, message) { Location = location };
}
