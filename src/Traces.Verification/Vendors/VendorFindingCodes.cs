using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>
/// Finding codes of vendor documents. Codes that mean what a traces/v1 code means are the same strings as in
/// <see cref="FindingCodes"/> (<c>malformed</c>, <c>chain_broken</c>, <c>payload_hash_mismatch</c>,
/// <c>signature_invalid</c>, <c>untrusted_key</c>, …); the others are specific to a vendor construction. Stable: codes
/// never change meaning.
/// </summary>
public static class VendorFindingCodes
{
    /// <summary>SidClaw: an event's <c>integrity_hash</c> is not the hash of its fields over the previous event's hash.</summary>
    public const string IntegrityHashMismatch = "integrity_hash_mismatch";

    /// <summary>
    /// SidClaw: events share a timestamp, none of them links to the chain so far, and the links cannot decide their
    /// order (reported, never guessed); or an export lists an event after later events of its trace.
    /// </summary>
    public const string OrderUnresolved = "order_unresolved";

    /// <summary>SidClaw: an event carries no <c>integrity_hash</c>: nothing protects it (trust, never passed silently).</summary>
    public const string UnhashedEvent = "unhashed_event";

    /// <summary>
    /// SidClaw: the stored text holds U+FFFD where SidClaw hashed a lone surrogate (its <c>\udxxx</c> escape): a known
    /// vendor encoding defect. What was hashed is not what is stored, so the event does not verify.
    /// </summary>
    public const string VendorEncodingDefect = "vendor_encoding_defect";

    /// <summary>SidClaw: the chain is intact but unkeyed, and its head is not pinned by the caller (trust).</summary>
    public const string HeadNotPinned = "head_not_pinned";

    /// <summary>SidClaw: the caller pinned a head that is not the chain's last hash: the chain was rewritten or cut.</summary>
    public const string HeadMismatch = "head_mismatch";

    /// <summary>SidClaw: a document or trace has no event with a hash, so nothing in it is protected (trust).</summary>
    public const string NoHashedEvents = "no_hashed_events";

    /// <summary>Informative: the event links to the recomputed hash of the event before it, whose stored hash was replaced.</summary>
    public const string StoredHashReplaced = "stored_hash_replaced";

    /// <summary>Informative: a head was pinned for a trace the document does not contain.</summary>
    public const string PinUnused = "pin_unused";

    /// <summary>Invoance: a value the receipt shows outside its signed payload differs from the signed value.</summary>
    public const string SignedFieldMismatch = "signed_field_mismatch";

    /// <summary>
    /// Informative: the check rests on a convention inferred from the vendor's other published artifacts, not on a
    /// published statement (Novyx trace certificates).
    /// </summary>
    public const string InferredConvention = "inferred_convention";
}
