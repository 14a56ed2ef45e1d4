using Traces.Verification.Bundles;
using Traces.Verification.Pipeline;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification;

/// <summary>
/// Verifies a trace certificate (proof-format §7.2) on its own, or against the ordered entries it certifies
/// (recomputing the entry count, chain root and Merkle composite hash). Thread-safe.
/// </summary>
public sealed class CertificateVerifier
{
    private readonly TrustPolicy _trust;
    private readonly VerificationOptions _options;

    /// <summary>A verifier that accepts only keys pinned by <paramref name="trustPolicy"/>.</summary>
    public CertificateVerifier(TrustPolicy trustPolicy, VerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trustPolicy);
        _trust = trustPolicy;
        _options = options ?? VerificationOptions.Default;
    }

    /// <summary>
    /// Checks the certificate's form and its RSASSA-PSS signature under a pinned RSA key. Says nothing about entries:
    /// it proves who sealed which composite hash, not that some list of entries hashes to it.
    /// </summary>
    public VerificationReport Verify(TraceCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var report = new ReportBuilder(_options.MaxFindings);
        var outcome = CertificateChecks.Check(certificate, _trust, report, "", null, null, null, null, null, null);
        // A certificate given as an object was read whole; alone, its signature is the whole certificate check.
        report.Completed(VerificationCheck.Form);
        if (outcome.SignatureChecked)
        {
            report.Completed(VerificationCheck.Certificate);
        }

        if (outcome.SignerIdentified)
        {
            report.Completed(VerificationCheck.Trust);
        }

        return report.Build(certificate.TraceId, certificate.EventCount ?? 0, certificate.CompositeHash, certificate.IntegrityRootHash, 0,
            !_trust.IsEmpty, CheckCodes.ForCertificate);
    }

    /// <summary>
    /// Checks the certificate and that <paramref name="entries"/>, in order, are exactly what it certifies: each
    /// entry's hashes, chain links and signature, then the recomputed count, root and composite against the statement.
    /// </summary>
    public VerificationReport Verify(TraceCertificate certificate, IEnumerable<BundleEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(entries);
        using var session = new BundleSession(_trust, _options);
        foreach (var entry in entries)
        {
            if (session.EntryCount >= _options.MaxEntries)
            {
                session.LimitExceeded($"More than {_options.MaxEntries} entries.", $"/events/{session.EntryCount}", session.EntryCount);
                session.Abandon();
                break;
            }

            session.AddEntry(entry);
        }

        return session.CompleteAgainstCertificate(certificate);
    }
}
