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
        if (!OverValueLimit(certificate, report, ""))
        {
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
        }

        return report.Build(certificate.TraceId, certificate.EventCount ?? 0, certificate.CompositeHash, certificate.IntegrityRootHash, 0,
            !_trust.IsEmpty, CheckCodes.ForCertificate);
    }

    /// <summary>
    /// Checks the certificate and that <paramref name="entries"/>, in order, are exactly what it certifies: each
    /// entry's hashes, chain links and signature, then the recomputed count, root and composite against the statement.
    /// A <see langword="null"/> element (a list read from hostile JSON may hold one) is an entry that cannot be read:
    /// <c>malformed</c>, like a <c>null</c> in a bundle's <c>events</c>. The limits are those of a bundle's entries
    /// (proof-format §10.5), each entry measured as the JSON it serializes to.
    /// </summary>
    public VerificationReport Verify(TraceCertificate certificate, IEnumerable<BundleEntry?> entries)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(entries);
        using var session = new BundleSession(_trust, _options);
        if (OverValueLimit(certificate, session.Report, "/certificate"))
        {
            session.Abandon();
            return session.CompleteAgainstCertificate(certificate);
        }

        foreach (var entry in entries)
        {
            if (session.EntryCount >= _options.MaxEntries)
            {
                session.LimitExceeded($"More than {_options.MaxEntries} entries.", $"/events/{session.EntryCount}", session.EntryCount);
                session.Abandon();
                break;
            }

            if (entry is null)
            {
                session.UnreadableEntry($"Entry {session.EntryCount} is null.");
                continue;
            }

            if (BundleObjectReader.Measure(entry) > _options.MaxEntryBytes)
            {
                session.LimitExceeded($"Entry {session.EntryCount} is larger than the {_options.MaxEntryBytes}-byte entry limit.",
                    $"/events/{session.EntryCount}", session.EntryCount);
                session.Abandon();
                break;
            }

            session.AddEntry(entry);
        }

        return session.CompleteAgainstCertificate(certificate);
    }

    private bool OverValueLimit(TraceCertificate certificate, ReportBuilder report, string location)
    {
        if (BundleObjectReader.Measure(certificate, TracesJsonContext.Default.TraceCertificate) <= _options.MaxEntryBytes)
        {
            return false;
        }

        report.Add(new Finding(FindingCodes.LimitExceeded, FindingSeverity.Error,
            $"The certificate is larger than the {_options.MaxEntryBytes}-byte value limit.") { Location = location });
        return true;
    }
}
