namespace Traces.Verification.Canonicalization;

/// <summary>Why an input could not be canonicalized. Values are stable reason codes.</summary>
public enum CanonicalizationErrorKind
{
    /// <summary>The input is not a single valid JSON text in UTF-8 (RFC 8259): syntax error, comment, trailing comma, invalid UTF-8, NaN/Infinity literal, or trailing content.</summary>
    InvalidJson = 1,

    /// <summary>An object has two members whose names are equal after unescaping (RFC 7493 §2.3).</summary>
    DuplicateMemberName,

    /// <summary>A string or member name contains an escaped surrogate that is not part of a valid pair (RFC 7493 §2.1).</summary>
    LoneSurrogate,

    /// <summary>A number's binary64 value is not finite, e.g. <c>1e400</c> (RFC 8785 §3.2.2.3).</summary>
    NonFiniteNumber,

    /// <summary>An integer literal's magnitude exceeds 2^53−1 (RFC 7493 §2.2).</summary>
    UnsafeInteger,

    /// <summary>Objects and arrays are nested deeper than <see cref="CanonicalizationLimits.MaxDepth"/>.</summary>
    DepthExceeded,

    /// <summary>A string or member name is longer than <see cref="CanonicalizationLimits.MaxStringLength"/> UTF-16 code units.</summary>
    StringTooLong,

    /// <summary>The input is longer than <see cref="CanonicalizationLimits.MaxInputBytes"/>.</summary>
    TooLarge,
}
