using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace Traces.Verification.Canonicalization;

/// <summary>Outcome of unescaping a raw JSON string token.</summary>
internal enum UnescapeStatus
{
    Done,
    InvalidUtf8,
    InvalidEscape,
    LoneSurrogate,
}

/// <summary>Unescapes raw JSON string tokens to UTF-16 and writes strings in RFC 8785 §3.2.2.2 form.</summary>
internal static class JsonString
{
    // RFC 8785 §3.2.2.2: exactly these code units are escaped; everything else (U+007F, U+2028, non-ASCII) is raw UTF-8.
    private static readonly SearchValues<char> s_mustEscape = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\");

    /// <summary>
    /// Unescapes <paramref name="raw"/> (the bytes between the quotes) into <paramref name="destination"/>, which must
    /// hold at least <c>raw.Length</c> chars. Does not trust System.Text.Json: UTF-8 and every escape are checked here,
    /// including surrogate pairing (RFC 7493 §2.1). With <paramref name="lenient"/>, bad sequences become U+FFFD
    /// (used only to describe a location in an error message). With <paramref name="keepLoneSurrogates"/>, an escaped
    /// lone surrogate is kept as that code unit, as ECMAScript <c>JSON.parse</c> keeps it (vendor documents written by
    /// JavaScript servers; RFC 8785 input never takes this path).
    /// </summary>
    public static UnescapeStatus Unescape(ReadOnlySpan<byte> raw, Span<char> destination, out int written, bool lenient = false,
        bool keepLoneSurrogates = false)
    {
        written = 0;
        while (true)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var run = backslash < 0 ? raw : raw[..backslash];
            if (Utf8.ToUtf16(run, destination[written..], out _, out var runChars, replaceInvalidSequences: lenient) != OperationStatus.Done)
            {
                return UnescapeStatus.InvalidUtf8;
            }

            written += runChars;
            if (backslash < 0)
            {
                return UnescapeStatus.Done;
            }

            raw = raw[(backslash + 1)..];
            if (raw.IsEmpty)
            {
                return UnescapeStatus.InvalidEscape;
            }

            char c;
            switch (raw[0])
            {
                case (byte)'"': c = '"'; break;
                case (byte)'\\': c = '\\'; break;
                case (byte)'/': c = '/'; break;
                case (byte)'b': c = '\b'; break;
                case (byte)'f': c = '\f'; break;
                case (byte)'n': c = '\n'; break;
                case (byte)'r': c = '\r'; break;
                case (byte)'t': c = '\t'; break;
                case (byte)'u':
                    if (!TryHex4(raw[1..], out c))
                    {
                        return UnescapeStatus.InvalidEscape;
                    }

                    raw = raw[5..];
                    if (char.IsHighSurrogate(c))
                    {
                        if (raw.Length >= 6 && raw[0] == (byte)'\\' && raw[1] == (byte)'u'
                            && TryHex4(raw[2..], out var low) && char.IsLowSurrogate(low))
                        {
                            destination[written++] = c;
                            destination[written++] = low;
                            raw = raw[6..];
                            continue;
                        }
                    }
                    else if (!char.IsLowSurrogate(c))
                    {
                        destination[written++] = c;
                        continue;
                    }

                    if (keepLoneSurrogates)
                    {
                        destination[written++] = c;
                        continue;
                    }

                    if (!lenient)
                    {
                        return UnescapeStatus.LoneSurrogate;
                    }

                    destination[written++] = '\uFFFD';
                    continue;
                default:
                    return UnescapeStatus.InvalidEscape;
            }

            destination[written++] = c;
            raw = raw[1..];
        }
    }

    /// <summary>Unescapes leniently into a new string, for error paths only.</summary>
    public static string Describe(ReadOnlySpan<byte> raw)
    {
        var buffer = new char[raw.Length];
        Unescape(raw, buffer, out var written, lenient: true);
        return new string(buffer, 0, written);
    }

    /// <summary>Writes <paramref name="value"/> as an RFC 8785 §3.2.2.2 string literal. The value holds no lone surrogates.</summary>
    public static void Write(ReadOnlySpan<char> value, IBufferWriter<byte> output)
    {
        WriteByte(output, (byte)'"');
        while (true)
        {
            var next = value.IndexOfAny(s_mustEscape);
            var run = next < 0 ? value : value[..next];
            if (!run.IsEmpty)
            {
                // A UTF-16 code unit becomes at most 3 UTF-8 bytes (a pair of 2 units becomes 4).
                var span = output.GetSpan(checked(run.Length * 3));
                Utf8.FromUtf16(run, span, out _, out var bytes, replaceInvalidSequences: false);
                output.Advance(bytes);
            }

            if (next < 0)
            {
                break;
            }

            WriteEscape(value[next], output);
            value = value[(next + 1)..];
        }

        WriteByte(output, (byte)'"');
    }

    /// <summary>True when <paramref name="raw"/> (between the quotes) is already in canonical form: no escapes, no control bytes.</summary>
    public static bool IsVerbatim(ReadOnlySpan<byte> raw) =>
        raw.IndexOfAny((byte)'\\', (byte)'"') < 0 && raw.IndexOfAnyInRange((byte)0, (byte)0x1F) < 0;

    private static void WriteEscape(char c, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(6);
        span[0] = (byte)'\\';
        var length = 2;
        switch (c)
        {
            case '"': span[1] = (byte)'"'; break;
            case '\\': span[1] = (byte)'\\'; break;
            case '\b': span[1] = (byte)'b'; break;
            case '\t': span[1] = (byte)'t'; break;
            case '\n': span[1] = (byte)'n'; break;
            case '\f': span[1] = (byte)'f'; break;
            case '\r': span[1] = (byte)'r'; break;
            default:
                // RFC 8785 §3.2.2.2: other controls as \u00XX with lowercase hex.
                span[1] = (byte)'u';
                span[2] = (byte)'0';
                span[3] = (byte)'0';
                span[4] = (byte)"0123456789abcdef"[c >> 4];
                span[5] = (byte)"0123456789abcdef"[c & 0xF];
                length = 6;
                break;
        }

        output.Advance(length);
    }

    internal static void WriteByte(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static bool TryHex4(ReadOnlySpan<byte> text, out char value)
    {
        value = '\0';
        if (text.Length < 4 || !Utf8Parser.TryParse(text[..4], out ushort parsed, out var consumed, 'X') || consumed != 4)
        {
            return false;
        }

        value = (char)parsed;
        return true;
    }
}
