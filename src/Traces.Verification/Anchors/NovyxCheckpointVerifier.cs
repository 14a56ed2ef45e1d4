using System.Text;
using Traces.Verification.Hashing;
using Traces.Verification.Signatures;

namespace Traces.Verification.Anchors;

/// <summary>
/// Verifies Novyx checkpoints against a key the caller trusts: each RSASSA-PSS signature over the payload hash text,
/// each key fingerprint, and the forward hash chain. The key claimed by a checkpoint (<c>key_fingerprint</c>) is only
/// compared, never used to pick a key. Immutable and thread-safe.
/// </summary>
public sealed class NovyxCheckpointVerifier
{
    private static readonly Digest s_genesis = Digest.Zero;

    /// <summary>Creates a verifier for a trusted key and the fingerprint checkpoints must carry.</summary>
    /// <param name="trustedKey">The service's public key, pinned by the caller.</param>
    /// <param name="trustedKeyFingerprint">The fingerprint of that key as Novyx computes it (see <see cref="ComputeKeyFingerprint"/>).</param>
    /// <param name="scheme">The signature scheme; defaults to <see cref="RsaSignatureScheme.PssSha256MaximumSalt"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="trustedKey"/> is null.</exception>
    public NovyxCheckpointVerifier(RsaPublicKey trustedKey, Digest trustedKeyFingerprint, RsaSignatureScheme? scheme = null)
    {
        ArgumentNullException.ThrowIfNull(trustedKey);
        TrustedKey = trustedKey;
        TrustedKeyFingerprint = trustedKeyFingerprint;
        Scheme = scheme ?? RsaSignatureScheme.PssSha256MaximumSalt;
    }

    /// <summary>The key signatures must verify with.</summary>
    public RsaPublicKey TrustedKey { get; }

    /// <summary>The key_fingerprint every checkpoint must carry.</summary>
    public Digest TrustedKeyFingerprint { get; }

    /// <summary>The RSA signature scheme checked.</summary>
    public RsaSignatureScheme Scheme { get; }

    /// <summary>
    /// Creates a verifier from the bytes of the published key file (<c>sentinel_public.pem</c>): the key is imported
    /// from it and the expected fingerprint is <see cref="ComputeKeyFingerprint"/> of the same bytes.
    /// </summary>
    /// <param name="pemFileBytes">The key file exactly as published, including its trailing newline.</param>
    /// <param name="scheme">The signature scheme; defaults to <see cref="RsaSignatureScheme.PssSha256MaximumSalt"/>.</param>
    /// <exception cref="ArgumentException">The file is not an RSA public key of at least 2048 bits.</exception>
    public static NovyxCheckpointVerifier FromPublishedKeyFile(ReadOnlySpan<byte> pemFileBytes, RsaSignatureScheme? scheme = null)
    {
        var key = RsaPublicKey.ImportPem(Encoding.UTF8.GetString(pemFileBytes));
        return new NovyxCheckpointVerifier(key, ComputeKeyFingerprint(pemFileBytes), scheme);
    }

    /// <summary>
    /// Novyx's key fingerprint: SHA-256 over the PEM file's bytes exactly as published — the
    /// <c>-----BEGIN PUBLIC KEY-----</c> line through the <c>-----END PUBLIC KEY-----</c> line, LF line endings, and
    /// the final LF included (for sentinel_public.pem: 8888b9fb…f1bf; without the final LF the hash differs). A
    /// checkout that rewrites line endings to CRLF changes it too.
    /// </summary>
    public static Digest ComputeKeyFingerprint(ReadOnlySpan<byte> pemFileBytes) => Digest.Compute(pemFileBytes);

    /// <summary>Checks one checkpoint's signature and key fingerprint (not its chain link).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is null.</exception>
    public NovyxCheckpointResult Verify(NovyxCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var findings = new List<NovyxFinding>(2);

        var fingerprintMatches = checkpoint.KeyFingerprint == TrustedKeyFingerprint;
        if (!fingerprintMatches)
        {
            findings.Add(new NovyxFinding(
                NovyxFindingCodes.FingerprintMismatch,
                checkpoint.CheckpointId,
                $"key_fingerprint {checkpoint.KeyFingerprint.ToHex()} is not the trusted key's {TrustedKeyFingerprint.ToHex()}."));
        }

        var signatureValid = TrustedKey.Verify(checkpoint.GetSignedBytes(), checkpoint.Signature, Scheme);
        if (!signatureValid)
        {
            findings.Add(new NovyxFinding(
                NovyxFindingCodes.SignatureInvalid,
                checkpoint.CheckpointId,
                $"The signature does not verify with {TrustedKey} under {Scheme}."));
        }

        return new NovyxCheckpointResult(checkpoint.CheckpointId, signatureValid, fingerprintMatches, findings);
    }

    /// <summary>
    /// Verifies every checkpoint and the forward chain over them, in id order: checkpoint k's previous_checkpoint_hash
    /// must equal checkpoint k−1's payload_hash when both are present, and 64 zero digits for checkpoint 1. Missing ids
    /// between present checkpoints are reported as chain_gap (not a failure). Identical duplicates count once;
    /// different checkpoints with the same id are chain_broken.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoints"/> or an element is null.</exception>
    public NovyxChainResult VerifyChain(IEnumerable<NovyxCheckpoint> checkpoints) => VerifyChainCore(checkpoints, []);

    /// <summary>
    /// Parses UTF-8 JSON checkpoint documents and verifies them as <see cref="VerifyChain"/> does; a document that does
    /// not parse becomes a malformed finding (naming its index in the sequence) instead of an exception.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="utf8JsonDocuments"/> is null.</exception>
    public NovyxChainResult VerifyDocuments(IEnumerable<ReadOnlyMemory<byte>> utf8JsonDocuments)
    {
        ArgumentNullException.ThrowIfNull(utf8JsonDocuments);
        var parsed = new List<NovyxCheckpoint>();
        var malformed = new List<NovyxFinding>();
        var index = 0;
        foreach (var document in utf8JsonDocuments)
        {
            if (NovyxCheckpoint.TryParse(document.Span, out var checkpoint, out var error))
            {
                parsed.Add(checkpoint);
            }
            else
            {
                malformed.Add(new NovyxFinding(NovyxFindingCodes.Malformed, null, $"Document {index}: {error}"));
            }

            index++;
        }

        return VerifyChainCore(parsed, malformed);
    }

    private NovyxChainResult VerifyChainCore(IEnumerable<NovyxCheckpoint> checkpoints, List<NovyxFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);

        // One checkpoint per id; an exact copy (latest.json) is the same checkpoint, a different one is a fork.
        var byId = new SortedDictionary<long, NovyxCheckpoint>();
        foreach (var checkpoint in checkpoints)
        {
            ArgumentNullException.ThrowIfNull(checkpoint, nameof(checkpoints));
            if (!byId.TryGetValue(checkpoint.CheckpointId, out var existing))
            {
                byId.Add(checkpoint.CheckpointId, checkpoint);
            }
            else if (!existing.Equals(checkpoint))
            {
                findings.Add(new NovyxFinding(
                    NovyxFindingCodes.ChainBroken,
                    checkpoint.CheckpointId,
                    $"Two different checkpoints claim id {checkpoint.CheckpointId}."));
            }
        }

        var results = new List<NovyxCheckpointResult>(byId.Count);
        var gaps = new List<NovyxGap>();
        NovyxCheckpoint? previous = null;
        foreach (var checkpoint in byId.Values)
        {
            results.Add(Verify(checkpoint));

            if (checkpoint.CheckpointId == 1)
            {
                if (checkpoint.PreviousCheckpointHash != s_genesis)
                {
                    findings.Add(new NovyxFinding(
                        NovyxFindingCodes.ChainBroken,
                        1,
                        $"Checkpoint 1 must link to the genesis value (64 zeros), not {checkpoint.PreviousCheckpointHash.ToHex()}."));
                }
            }
            else if (previous is not null && checkpoint.CheckpointId == previous.CheckpointId + 1)
            {
                if (checkpoint.PreviousCheckpointHash != previous.PayloadHash)
                {
                    findings.Add(new NovyxFinding(
                        NovyxFindingCodes.ChainBroken,
                        checkpoint.CheckpointId,
                        $"previous_checkpoint_hash {checkpoint.PreviousCheckpointHash.ToHex()} is not checkpoint "
                        + $"{previous.CheckpointId}'s payload_hash {previous.PayloadHash.ToHex()}."));
                }
            }
            else if (previous is not null)
            {
                var gap = new NovyxGap(previous.CheckpointId, checkpoint.CheckpointId);
                gaps.Add(gap);
                findings.Add(new NovyxFinding(
                    NovyxFindingCodes.ChainGap,
                    checkpoint.CheckpointId,
                    $"Checkpoints {gap.FromCheckpointId + 1}-{gap.ToCheckpointId - 1} are absent; the link from "
                    + $"{gap.FromCheckpointId} to {gap.ToCheckpointId} cannot be checked."));
            }

            previous = checkpoint;
        }

        // Stable order: document-level findings (no id) first, then by id in the order found.
        var ordered = findings.OrderBy(f => f.CheckpointId ?? long.MinValue).ToArray();
        return new NovyxChainResult(results, ordered, gaps);
    }
}
