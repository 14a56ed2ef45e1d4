namespace Traces.Verification.Anchors;

/// <summary>Stable codes of <see cref="NovyxFinding"/>. Compare with these constants; the messages may change.</summary>
public static class NovyxFindingCodes
{
    /// <summary>The signature does not verify with the trusted key over the payload hash.</summary>
    public const string SignatureInvalid = "signature_invalid";

    /// <summary>
    /// A checkpoint's previous_checkpoint_hash differs from its predecessor's payload_hash (or from the genesis value
    /// for checkpoint 1), or two different checkpoints claim the same id.
    /// </summary>
    public const string ChainBroken = "chain_broken";

    /// <summary>Ids are not consecutive, so the link across the gap cannot be checked. Informational, not a failure.</summary>
    public const string ChainGap = "chain_gap";

    /// <summary>The checkpoint's key_fingerprint is not the fingerprint of the trusted key file.</summary>
    public const string FingerprintMismatch = "fingerprint_mismatch";

    /// <summary>A document is not a well-formed checkpoint.</summary>
    public const string Malformed = "malformed";
}
