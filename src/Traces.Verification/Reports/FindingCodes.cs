namespace Traces.Verification.Reports;

/// <summary>
/// The stable finding codes of proof-format §10. Codes never change meaning; new ones may be added.
/// </summary>
public static class FindingCodes
{
    /// <summary>The input is not a well-formed document of the format (bad JSON, missing or unknown member, wrong form).</summary>
    public const string Malformed = "malformed";

    /// <summary>The input exceeds a configured limit (size, depth, entry count, payload size).</summary>
    public const string LimitExceeded = "limit_exceeded";

    /// <summary>The document declares a version this verifier does not implement.</summary>
    public const string UnsupportedVersion = "unsupported_version";

    /// <summary>A signature or certificate names an algorithm other than the one the format fixes.</summary>
    public const string UnsupportedAlgorithm = "unsupported_algorithm";

    /// <summary>A payload does not hash to its <c>payload_hash</c>, or is not I-JSON.</summary>
    public const string PayloadHashMismatch = "payload_hash_mismatch";

    /// <summary>An entry's <c>content_hash</c> is not the digest of its canonical content.</summary>
    public const string ContentHashMismatch = "content_hash_mismatch";

    /// <summary>An entry's <c>index</c> is not its position.</summary>
    public const string IndexMismatch = "index_mismatch";

    /// <summary>A chain link (<c>previous_chain_hash</c> or <c>chain_hash</c>) does not follow from the entries before it.</summary>
    public const string ChainBroken = "chain_broken";

    /// <summary>The bundle's <c>integrity_root_hash</c> is not the recomputed last chain link.</summary>
    public const string RootMismatch = "root_mismatch";

    /// <summary>The <c>composite_hash</c> is not the recomputed Merkle Tree Hash.</summary>
    public const string CompositeMismatch = "composite_mismatch";

    /// <summary>The <c>event_count</c> is not the number of entries.</summary>
    public const string EventCountMismatch = "event_count_mismatch";

    /// <summary>A signature does not verify.</summary>
    public const string SignatureInvalid = "signature_invalid";

    /// <summary>An entry's <c>key_id</c> does not match its <c>public_key</c> or the pinned key.</summary>
    public const string KeyIdMismatch = "key_id_mismatch";

    /// <summary>The seal event does not commit to this trace's id, count, composite and root hashes.</summary>
    public const string SealMismatch = "seal_mismatch";

    /// <summary>The certificate's signature does not verify, or its key is unusable.</summary>
    public const string CertificateInvalid = "certificate_invalid";

    /// <summary>The certificate's statement disagrees with the bundle or the recomputed values.</summary>
    public const string CertificateMismatch = "certificate_mismatch";

    /// <summary>An inclusion or consistency proof does not lead to the expected root.</summary>
    public const string ProofInvalid = "proof_invalid";

    /// <summary>A signer is not pinned by the trust policy (or none was given).</summary>
    public const string UntrustedKey = "untrusted_key";

    /// <summary>A key is too weak to be accepted (RSA under 2048 bits).</summary>
    public const string WeakKey = "weak_key";

    /// <summary>Informative: a payload was withheld; the entry verified through its payload hash.</summary>
    public const string PayloadWithheld = "payload_withheld";

    /// <summary>Informative: more findings than the configured maximum; the rest were counted, not listed.</summary>
    public const string FindingsTruncated = "findings_truncated";
}
