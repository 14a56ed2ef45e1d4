namespace Traces.Verification.Reports;

/// <summary>
/// The checks of proof-format §10.1 as a person reads them. Each finding code belongs to one check
/// (<see cref="CheckOutcome.FindingCounts"/>); which checks a report lists depends on what was verified.
/// </summary>
public enum VerificationCheck
{
    /// <summary>The input is a well-formed traces/v1 document within the limits (<c>malformed</c>, <c>limit_exceeded</c>, <c>unsupported_version</c>).</summary>
    Form,

    /// <summary>Payload and content hashes, indices, chain links and the integrity root (§4, §5).</summary>
    Chain,

    /// <summary>Every Ed25519 signature of the entries and the seal event, and their key ids (§8.3).</summary>
    Signatures,

    /// <summary>The RFC 9162 composite hash and the entry count (§6).</summary>
    Composite,

    /// <summary>The seal event commits to this trace's id, count, composite, root and sealing time (§7.1).</summary>
    Seal,

    /// <summary>The certificate: algorithm, key strength, RSASSA-PSS signature, statement (§7.2, §8.4).</summary>
    Certificate,

    /// <summary>An inclusion proof leads from the entry to the composite hash (§9.3).</summary>
    Inclusion,

    /// <summary>Every signer is pinned by the caller's trust policy (§10.2).</summary>
    Trust,
}
