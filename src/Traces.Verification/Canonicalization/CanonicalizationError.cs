namespace Traces.Verification.Canonicalization;

/// <summary>A verdict that the input is not canonicalizable I-JSON, with where and why.</summary>
/// <param name="Kind">The stable reason code.</param>
/// <param name="Message">A human-readable explanation; not stable, do not parse.</param>
/// <param name="Path">
/// A JSON Pointer (RFC 6901) to the offending value, or <c>""</c> for the root. For a bad member name it points at that
/// member (a lone surrogate in the name is shown as U+FFFD); for a syntax error it points at the last value reached.
/// </param>
public sealed record CanonicalizationError(CanonicalizationErrorKind Kind, string Message, string Path);
