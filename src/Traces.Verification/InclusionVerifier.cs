using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Pipeline;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification;

/// <summary>
/// Verifies that one entry belongs to a sealed trace without the other entries (proof-format §9.3): the entry's
/// own hashes and signature, an RFC 9162 §2.1.3.2 inclusion proof from its content digest to the composite hash,
/// and the certificate that signs that composite hash. Thread-safe.
/// </summary>
public sealed class InclusionVerifier
{
    private readonly TrustPolicy _trust;
    private readonly VerificationOptions _options;

    /// <summary>A verifier that accepts only keys pinned by <paramref name="trustPolicy"/>.</summary>
    public InclusionVerifier(TrustPolicy trustPolicy, VerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trustPolicy);
        _trust = trustPolicy;
        _options = options ?? VerificationOptions.Default;
    }

    /// <summary>Verifies <paramref name="entry"/> against <paramref name="proof"/> and <paramref name="certificate"/>.</summary>
    public VerificationReport Verify(BundleEntry entry, EntryInclusionProof proof, TraceCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(certificate);

        using var session = new BundleSession(_trust, _options);
        var report = session.Report;

        // The value limit of proof-format §10.5 for each document, measured as the JSON it serializes to.
        var sizes = new (string At, long Bytes)[]
        {
            ("/entry", BundleObjectReader.Measure(entry)),
            ("/proof", BundleObjectReader.Measure(proof, TracesJsonContext.Default.EntryInclusionProof)),
            ("/certificate", BundleObjectReader.Measure(certificate, TracesJsonContext.Default.TraceCertificate)),
        };
        foreach (var (at, bytes) in sizes.Where(s => s.Bytes > _options.MaxEntryBytes))
        {
            session.LimitExceeded($"{at[1..]} is larger than the {_options.MaxEntryBytes}-byte value limit.", at);
        }

        if (sizes.Any(s => s.Bytes > _options.MaxEntryBytes))
        {
            return session.CompleteDetached(proof.TraceId, certificate: null);
        }

        var content = session.CheckDetachedEntry(entry, "/entry");
        var entryIndexOk = JsonIntegers.IsSafe(entry.Index);
        if (!entryIndexOk)
        {
            session.Malformed("index is missing or not an integer within ±(2^53−1) (§9.1).", "/entry/index", null, entry.EventId);
        }

        // Every member of the proof in its form (proof-format §9.3); one out of form is malformed and is not compared:
        // a proof without a trace_id cannot skip the comparison with the certificate's trace_id and still verify.
        var traceIdOk = ProofForm(session, TraceIdentifiers.IsValidId(proof.TraceId), "trace_id", "is missing or outside the identifier character set (§3.1)");
        var leafOk = ProofForm(session, proof.LeafIndex is >= 0 and <= JsonIntegers.MaxSafe, "leaf_index", "is missing or not an integer from 0 to 2^53−1");
        var sizeOk = ProofForm(session, proof.TreeSize is >= 1 and <= JsonIntegers.MaxSafe, "tree_size", "is missing or not an integer from 1 to 2^53−1");
        var compositeOk = ProofForm(session, Digest.TryParse(proof.CompositeHash, out var claimedComposite), "composite_hash", "is missing or not a sha256: digest");
        var pathOk = ProofForm(session, proof.Path is not null, "path", "is missing");

        var checkedCertificate = CertificateChecks.Check(certificate, _trust, report, "/certificate", traceIdOk ? proof.TraceId : null,
            sizeOk ? proof.TreeSize : null, compositeOk ? claimedComposite : null, null, null, null);

        foreach (var name in proof.AdditionalProperties?.Keys ?? [])
        {
            session.Malformed($"'{name}' is not a member of an inclusion proof.", "/proof/" + name);
        }

        if (proof.Version != EntryHasher.FormatVersion)
        {
            report.Add(new Finding(FindingCodes.UnsupportedVersion, FindingSeverity.Error, $"The proof's v is '{proof.Version ?? "missing"}'.")
            { Location = "/proof/v", Expected = EntryHasher.FormatVersion, Actual = proof.Version });
        }

        if (leafOk && entryIndexOk && proof.LeafIndex != entry.Index)
        {
            report.Add(new Finding(FindingCodes.ProofInvalid, FindingSeverity.Error, "The proof's leaf_index is not the entry's index.")
            { Location = "/proof/leaf_index", EntryIndex = entry.Index, EventId = entry.EventId });
        }

        var path = new List<Digest>();
        foreach (var (text, i) in (proof.Path ?? []).Select((t, i) => (t, i)))
        {
            if (!Digest.TryParse(text, out var node))
            {
                session.Malformed("A proof path element is not a sha256: digest.", $"/proof/path/{i}");
                pathOk = false;
                break;
            }

            path.Add(node);
        }

        // With any input out of form a finding is already there; the path is checked only when all of it was read.
        if (content is { } leafContent && leafOk && sizeOk && compositeOk && pathOk)
        {
            var result = MerkleProofs.VerifyInclusion(proof.LeafIndex!.Value, proof.TreeSize!.Value, MerkleTree.LeafHash(leafContent.Bytes), path, claimedComposite);
            if (!result.IsValid)
            {
                report.Add(new Finding(FindingCodes.ProofInvalid, FindingSeverity.Error,
                    $"The inclusion proof does not lead from the entry to the composite hash: {result.Message}")
                { Location = "/proof/path", EntryIndex = entry.Index, EventId = entry.EventId, Actual = result.Code });
            }

            // Every member was in form and the whole path was read: the proof was checked to the end.
            report.Completed(VerificationCheck.Inclusion);
            report.Completed(VerificationCheck.Form);
        }

        // The certificate is complete when its signature was checked and its statement compared with the proof's
        // trace id, tree size and composite hash (one out of form was not compared).
        if (checkedCertificate.SignatureChecked && traceIdOk && sizeOk && compositeOk)
        {
            report.Completed(VerificationCheck.Certificate);
        }

        return session.CompleteDetached(proof.TraceId, checkedCertificate);
    }

    private static bool ProofForm(BundleSession session, bool ok, string member, string problem)
    {
        if (!ok)
        {
            session.Malformed($"The proof's {member} {problem}.", "/proof/" + member);
        }

        return ok;
    }
}
