namespace Traces.Verification.Vendors;

/// <summary>The stable names of the checks in a <see cref="VendorReport"/>.</summary>
public static class VendorCheckNames
{
    /// <summary>The document is a well-formed document of its format, within the limits.</summary>
    public const string Form = "form";

    /// <summary>Every stored hash equals the one recomputed from the fields it covers.</summary>
    public const string Hashes = "hashes";

    /// <summary>Every hash-chain link follows from the element before it, in an order decided by the links.</summary>
    public const string Chain = "chain";

    /// <summary>Every event carries a hash (an event without one is protected by nothing).</summary>
    public const string Coverage = "coverage";

    /// <summary>Every signature verifies.</summary>
    public const string Signature = "signature";

    /// <summary>The values a receipt shows outside its signed payload equal the signed ones.</summary>
    public const string SignedFields = "signed_fields";

    /// <summary>The key fingerprint a document names is the pinned key's.</summary>
    public const string KeyFingerprint = "key_fingerprint";

    /// <summary>
    /// Trust: every signature is made by a key the caller pinned, or (for an unkeyed hash chain) every chain ends at a
    /// head the caller pinned.
    /// </summary>
    public const string Trust = "trust";
}
