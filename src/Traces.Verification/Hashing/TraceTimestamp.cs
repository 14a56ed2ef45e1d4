using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Traces.Verification.Hashing;

/// <summary>
/// Timestamps in traces/v1: RFC 3339 UTC with exactly six fractional digits and <c>Z</c>
/// (<c>2026-03-17T12:05:00.000000Z</c>), proof-format §3. One fixed form, so the string that is hashed
/// is the string that is stored.
/// </summary>
public static class TraceTimestamp
{
    /// <summary>The .NET format string of the one accepted form.</summary>
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    /// <summary>Formats an instant in the canonical form (converted to UTC, truncated to microseconds).</summary>
    public static string ToCanonicalString(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Parses the canonical form only; any other RFC 3339 variant is rejected.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null || text.Length != 27)
        {
            return false;
        }

        if (!DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            return false;
        }

        instant = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    /// <summary>True when <paramref name="text"/> is in the canonical form.</summary>
    public static bool IsCanonical([NotNullWhen(true)] string? text) => TryParse(text, out _);
}
