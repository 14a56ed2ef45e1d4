using System.Diagnostics.CodeAnalysis;

namespace Traces.Verification.Hashing;

/// <summary>
/// The character sets of identifiers and event types (proof-format §3.1). They are plain ASCII with no
/// character that JSON escapes, so the canonical content-hash preimage is the same bytes in every language.
/// </summary>
public static class TraceIdentifiers
{
    /// <summary>The longest identifier or event type, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>
    /// True for a trace id, event id or key label: 1–128 characters, the first a letter or digit, the rest
    /// letters, digits, <c>.</c>, <c>_</c>, <c>:</c> or <c>-</c>.
    /// </summary>
    public static bool IsValidId([NotNullWhen(true)] string? value) => IsValid(value, allowSlash: false);

    /// <summary>True for an event type: as <see cref="IsValidId"/>, and <c>/</c> is also allowed after the first character.</summary>
    public static bool IsValidEventType([NotNullWhen(true)] string? value) => IsValid(value, allowSlash: true);

    private static bool IsValid(string? value, bool allowSlash)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or ':' or '-') && !(allowSlash && c == '/'))
            {
                return false;
            }
        }

        return true;
    }
}
