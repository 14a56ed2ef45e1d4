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
        var content = session.CheckDetachedEntry(entry, "/entry");

        var claimedCompositeKnown = Digest.TryParse(proof.CompositeHash, out var claimedComposite);
        var checkedCertificate = CertificateChecks.Check(certificate, _trust, report, "/certificate", proof.TraceId, proof.TreeSize,
            claimedCompositeKnown ? claimedComposite : null, null, null, null);

        foreach (var name in proof.AdditionalProperties?.Keys ?? [])
        {
            session.Malformed($"'{name}' is not a member of an inclusion proof.", "/proof/" + name);
        }

        if (proof.Version != EntryHasher.FormatVersion)
        {
            report.Add(new Finding(FindingCodes.UnsupportedVersion, FindingSeverity.Error, $"The proof's v is '{proof.Version ?? "missing"}'.")
            { Location = "/proof/v", Expected = EntryHasher.FormatVersion, Actual = proof.Version });
        }

        if (proof.LeafIndex != entry.Index)
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
                return session.CompleteDetached(proof.TraceId, checkedCertificate);
            }

            path.Add(node);
        }

        if (content is { } leafContent && proof.LeafIndex is { } index && proof.TreeSize is { } size && claimedComposite != default)
        {
            var result = MerkleProofs.VerifyInclusion(index, size, MerkleTree.LeafHash(leafContent.Bytes), path, claimedComposite);
            if (!result.IsValid)
            {
                report.Add(new Finding(FindingCodes.ProofInvalid, FindingSeverity.Error,
                    $"The inclusion proof does not lead from the entry to the composite hash: {result.Message}")
                { Location = "/proof/path", EntryIndex = entry.Index, EventId = entry.EventId, Actual = result.Code });
            }

            report.Completed(VerificationCheck.Inclusion);
            report.Completed(VerificationCheck.Form);
        }
        else
        {
            session.Malformed("The proof or the entry lacks what the inclusion check needs (leaf_index, tree_size, composite_hash, hashable entry).", "/proof");
        }

        // The certificate is complete when its signature was checked and its statement compared with the proof's
        // trace id, tree size and composite hash (a missing one was not compared).
        if (checkedCertificate.SignatureChecked && proof.TraceId is not null && proof.TreeSize is not null && claimedCompositeKnown)
        {
            report.Completed(VerificationCheck.Certificate);
        }

        return session.CompleteDetached(proof.TraceId, checkedCertificate);
    }
}
