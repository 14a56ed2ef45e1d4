using Traces.Verification.Reports;

namespace Traces.Verification.Anchors;

/// <summary>
/// Stable codes of <see cref="NovyxFinding"/>. Compare with these constants; the messages may change. Codes shared with
/// traces/v1 reports are the same strings as in <see cref="FindingCodes"/>.
/// </summary>
public static class NovyxFindingCodes
{
    /// <summary>The signature does not verify with the trusted key over the payload hash.</summary>
    public const string SignatureInvalid = FindingCodes.SignatureInvalid;

    /// <summary>
    /// A checkpoint's previous_checkpoint_hash differs from its predecessor's payload_hash (or from the genesis value
    /// for checkpoint 1), or two different checkpoints claim the same id.
    /// </summary>
    public const string ChainBroken = FindingCodes.ChainBroken;

    /// <summary>Ids are not consecutive, so the link across the gap cannot be checked. Informational, not a failure.</summary>
    public const string ChainGap = "chain_gap";

    /// <summary>The checkpoint's key_fingerprint is not the fingerprint of the trusted key file.</summary>
    public const string FingerprintMismatch = "fingerprint_mismatch";

    /// <summary>A document is not a well-formed checkpoint.</summary>
    public const string Malformed = FindingCodes.Malformed;
}
