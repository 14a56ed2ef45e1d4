using Traces.Verification.Reports;

namespace Traces.TestSupport;

/// <summary>Byte-level edits of JSON texts (for what no JSON tree can hold: invalid UTF-8, -0, a null kept as null) and report helpers.</summary>
public static class HostileBytes
{
    /// <summary><paramref name="json"/> with <paramref name="insert"/> placed before the first <paramref name="marker"/>.</summary>
    public static byte[] InsertBefore(ReadOnlySpan<byte> json, ReadOnlySpan<byte> marker, ReadOnlySpan<byte> insert)
    {
        var at = json.IndexOf(marker);
        if (at < 0)
        {
            throw new InvalidOperationException("The marker is not in the document.");
        }

        return [.. json[..at], .. insert, .. json[at..]];
    }

    /// <summary><paramref name="json"/> with the first <paramref name="find"/> replaced by <paramref name="replacement"/>.</summary>
    public static byte[] Replace(ReadOnlySpan<byte> json, ReadOnlySpan<byte> find, ReadOnlySpan<byte> replacement)
    {
        var at = json.IndexOf(find);
        if (at < 0)
        {
            throw new InvalidOperationException("The text to replace is not in the document.");
        }

        return [.. json[..at], .. replacement, .. json[(at + find.Length)..]];
    }

    /// <summary>
    /// A serialized bundle with <paramref name="count"/> bytes of insignificant whitespace (spaces, tabs, CR, LF) inside
    /// its first entry, before <c>"event_id"</c>: still valid, and one long value for the reader to frame.
    /// </summary>
    public static byte[] WithWhitespaceInFirstEntry(ReadOnlySpan<byte> bundleJson, int count)
    {
        var whitespace = new byte[count];
        for (var i = 0; i < count; i++)
        {
            whitespace[i] = (byte)" \t\r\n"[i % 4];
        }

        return InsertBefore(bundleJson, "\"event_id\""u8, whitespace);
    }

    /// <summary>The distinct finding codes of a report, in ordinal order.</summary>
    public static IReadOnlyList<string> Codes(VerificationReport report) =>
        report.Findings.Select(f => f.Code).Distinct().Order(StringComparer.Ordinal).ToList();
}
