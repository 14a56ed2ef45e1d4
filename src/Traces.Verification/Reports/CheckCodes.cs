namespace Traces.Verification.Reports;

/// <summary>
/// Which check each finding code fails (proof-format §10.3). A code raised where it means something else says so
/// when it is added (a certificate's <c>key_id_mismatch</c> fails <see cref="VerificationCheck.Certificate"/>).
/// </summary>
internal static class CheckCodes
{
    /// <summary>Every code in the order of <see cref="FindingCodes"/>, with the check it fails by default.</summary>
    private static readonly (string Code, VerificationCheck Check)[] s_codes =
    [
        (FindingCodes.Malformed, VerificationCheck.Form),
        (FindingCodes.LimitExceeded, VerificationCheck.Form),
        (FindingCodes.UnsupportedVersion, VerificationCheck.Form),
        (FindingCodes.UnsupportedAlgorithm, VerificationCheck.Certificate),
        (FindingCodes.PayloadHashMismatch, VerificationCheck.Chain),
        (FindingCodes.ContentHashMismatch, VerificationCheck.Chain),
        (FindingCodes.IndexMismatch, VerificationCheck.Chain),
        (FindingCodes.ChainBroken, VerificationCheck.Chain),
        (FindingCodes.RootMismatch, VerificationCheck.Chain),
        (FindingCodes.CompositeMismatch, VerificationCheck.Composite),
        (FindingCodes.EventCountMismatch, VerificationCheck.Composite),
        (FindingCodes.SignatureInvalid, VerificationCheck.Signatures),
        (FindingCodes.KeyIdMismatch, VerificationCheck.Signatures),
        (FindingCodes.SealMismatch, VerificationCheck.Seal),
        (FindingCodes.CertificateInvalid, VerificationCheck.Certificate),
        (FindingCodes.CertificateMismatch, VerificationCheck.Certificate),
        (FindingCodes.ProofInvalid, VerificationCheck.Inclusion),
        (FindingCodes.UntrustedKey, VerificationCheck.Trust),
        (FindingCodes.WeakKey, VerificationCheck.Certificate),
    ];

    /// <summary>What <see cref="BundleVerifier"/> reports.</summary>
    public static readonly VerificationCheck[] ForBundle =
    [
        VerificationCheck.Form, VerificationCheck.Chain, VerificationCheck.Signatures, VerificationCheck.Composite,
        VerificationCheck.Seal, VerificationCheck.Certificate, VerificationCheck.Trust,
    ];

    /// <summary>What <see cref="CertificateVerifier"/> reports for a certificate alone.</summary>
    public static readonly VerificationCheck[] ForCertificate = [VerificationCheck.Form, VerificationCheck.Certificate, VerificationCheck.Trust];

    /// <summary>What <see cref="CertificateVerifier"/> reports for a certificate and its entries.</summary>
    public static readonly VerificationCheck[] ForCertificateWithEntries =
    [
        VerificationCheck.Form, VerificationCheck.Chain, VerificationCheck.Signatures, VerificationCheck.Composite,
        VerificationCheck.Certificate, VerificationCheck.Trust,
    ];

    /// <summary>What <see cref="InclusionVerifier"/> reports.</summary>
    public static readonly VerificationCheck[] ForInclusion =
    [
        VerificationCheck.Form, VerificationCheck.Chain, VerificationCheck.Signatures, VerificationCheck.Inclusion,
        VerificationCheck.Certificate, VerificationCheck.Trust,
    ];

    /// <summary>
    /// The check <paramref name="code"/> fails. A code this table does not know (added later without a row) fails
    /// <see cref="VerificationCheck.Form"/>: an error must fail some check, never none.
    /// </summary>
    public static VerificationCheck Of(string code)
    {
        foreach (var (known, check) in s_codes)
        {
            if (string.Equals(known, code, StringComparison.Ordinal))
            {
                return check;
            }
        }

        return VerificationCheck.Form;
    }

    /// <summary>The position of <paramref name="code"/> in <see cref="FindingCodes"/> order (unknown codes last).</summary>
    public static int Order(string code)
    {
        for (var i = 0; i < s_codes.Length; i++)
        {
            if (string.Equals(s_codes[i].Code, code, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return s_codes.Length;
    }

    /// <summary>Every code with a row (tests check that each constant of <see cref="FindingCodes"/> that can fail a check has one).</summary>
    internal static IEnumerable<string> Known => s_codes.Select(c => c.Code);
}
