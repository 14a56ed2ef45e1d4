using System.Globalization;

namespace Traces.Verification.Canonicalization;

/// <summary>
/// ECMAScript <c>Date.prototype.toISOString</c> (ECMA-262 §21.4.4.36): the Date Time String Format of §21.4.1.32 in
/// UTC with milliseconds, <c>YYYY-MM-DDTHH:mm:ss.sssZ</c>. Node.js servers write and hash timestamps in this form.
/// </summary>
internal static class EcmaScriptDate
{
    /// <summary>The length of the form for years 0001–9999, the years a .NET date can hold.</summary>
    public const int Length = 24;

    private const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    /// <summary>
    /// <c>toISOString</c> of an instant: converted to UTC and truncated to milliseconds (a JavaScript <c>Date</c> holds
    /// milliseconds only).
    /// </summary>
    public static string ToIsoString(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc).ToString(Format, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses exactly what <see cref="ToIsoString"/> writes (years 0001–9999), so that parsing and writing back gives
    /// the same text. Any other form, even one <c>Date.parse</c> would accept, is rejected: it is not what a
    /// <c>toISOString</c> wrote.
    /// </summary>
    public static bool TryParseIsoString(ReadOnlySpan<char> text, out DateTimeOffset instant)
    {
        instant = default;
        if (text.Length != Length
            || !DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            return false;
        }

        instant = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }
}
