namespace Traces.Verification.Anchors;

/// <summary>The verdict on one checkpoint.</summary>
/// <param name="CheckpointId">The checkpoint's id.</param>
/// <param name="SignatureValid">True when the signature verifies with the trusted key and scheme.</param>
/// <param name="FingerprintMatches">True when key_fingerprint equals the trusted key file's fingerprint.</param>
/// <param name="Findings">Failures found (signature_invalid, fingerprint_mismatch); empty when the checkpoint is valid.</param>
public sealed record NovyxCheckpointResult(
    long CheckpointId, bool SignatureValid, bool FingerprintMatches, IReadOnlyList<NovyxFinding> Findings)
{
    /// <summary>True when the signature verifies and the fingerprint matches.</summary>
    public bool IsValid => SignatureValid && FingerprintMatches;
}
