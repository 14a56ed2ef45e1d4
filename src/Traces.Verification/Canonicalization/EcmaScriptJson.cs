using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Traces.Verification.Canonicalization;

/// <summary>
/// ECMAScript <c>JSON.stringify</c> for strings and flat objects of strings, byte for byte as Node.js hashes it
/// (<c>createHash('sha256').update(JSON.stringify(o))</c> encodes the result as UTF-8). This is not RFC 8785: members
/// keep the caller's order, and a lone surrogate is written as its <c>\udxxx</c> escape (well-formed
/// <c>JSON.stringify</c>, ES2019) where RFC 8785 rejects it.
/// </summary>
internal static class EcmaScriptJson
{
    // ECMA-262 §25.5.2.3 QuoteJSONString: these code units are escaped; everything else, U+007F, U+2028, U+2029 and
    // paired surrogates included, is written as it is. Surrogates are listed so that a lone one stops the scan.
    private static readonly SearchValues<char> s_special = SearchValues.Create(BuildSpecial());

    /// <summary>Writes <paramref name="value"/> as <c>QuoteJSONString(value)</c>, UTF-8 encoded.</summary>
    public static void WriteString(ReadOnlySpan<char> value, IBufferWriter<byte> output)
    {
        WriteAscii(output, '"');
        while (!value.IsEmpty)
        {
            var next = value.IndexOfAny(s_special);
            if (next < 0)
            {
                WriteUtf8(value, output);
                break;
            }

            var c = value[next];
            if (char.IsHighSurrogate(c) && next + 1 < value.Length && char.IsLowSurrogate(value[next + 1]))
            {
                // A pair is one code point, written literally (4 UTF-8 bytes).
                WriteUtf8(value[..(next + 2)], output);
                value = value[(next + 2)..];
                continue;
            }

            WriteUtf8(value[..next], output);
            WriteEscape(c, output);
            value = value[(next + 1)..];
        }

        WriteAscii(output, '"');
    }

    /// <summary>
    /// <c>JSON.stringify</c> of an object whose members are all strings, in the given order, without spaces. For
    /// example <c>{"a":"x\u0007"}</c> for the member <c>a</c> = "x" + U+0007.
    /// </summary>
    public static byte[] StringifyObject(params ReadOnlySpan<(string Name, string Value)> members)
    {
        var output = new ArrayBufferWriter<byte>(256);
        WriteAscii(output, '{');
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                WriteAscii(output, ',');
            }

            WriteString(members[i].Name, output);
            WriteAscii(output, ':');
            WriteString(members[i].Value, output);
        }

        WriteAscii(output, '}');
        return output.WrittenSpan.ToArray();
    }

    /// <summary><c>JSON.stringify</c> of one string, as UTF-8 text (for tests and messages).</summary>
    public static string Quote(string value)
    {
        var output = new ArrayBufferWriter<byte>(value.Length + 2);
        WriteString(value, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    internal static void WriteAscii(IBufferWriter<byte> output, char c)
    {
        output.GetSpan(1)[0] = (byte)c;
        output.Advance(1);
    }

    private static void WriteUtf8(ReadOnlySpan<char> run, IBufferWriter<byte> output)
    {
        if (run.IsEmpty)
        {
            return;
        }

        // The run holds no lone surrogate, so the transcoding cannot fail; a UTF-16 unit is at most 3 UTF-8 bytes.
        var span = output.GetSpan(checked(run.Length * 3));
        Utf8.FromUtf16(run, span, out _, out var written, replaceInvalidSequences: false);
        output.Advance(written);
    }

    private static void WriteEscape(char c, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(6);
        span[0] = (byte)'\\';
        var length = 2;
        switch (c)
        {
            // ECMA-262 Table 75: the JSON single-character escape sequences.
            case '\b': span[1] = (byte)'b'; break;
            case '\t': span[1] = (byte)'t'; break;
            case '\n': span[1] = (byte)'n'; break;
            case '\f': span[1] = (byte)'f'; break;
            case '\r': span[1] = (byte)'r'; break;
            case '"': span[1] = (byte)'"'; break;
            case '\\': span[1] = (byte)'\\'; break;
            default:
                // ECMA-262 UnicodeEscape: other controls and lone surrogates as \u + 4 lowercase hex digits.
                const string hex = "0123456789abcdef";
                span[1] = (byte)'u';
                span[2] = (byte)hex[c >> 12];
                span[3] = (byte)hex[(c >> 8) & 0xF];
                span[4] = (byte)hex[(c >> 4) & 0xF];
                span[5] = (byte)hex[c & 0xF];
                length = 6;
                break;
        }

        output.Advance(length);
    }

    private static string BuildSpecial()
    {
        var chars = new List<char>(0x20 + 2 + 0x800);
        for (var c = '\0'; c < ' '; c++)
        {
            chars.Add(c);
        }

        chars.Add('"');
        chars.Add('\\');
        for (var c = '\uD800'; c <= '\uDFFF'; c++)
        {
            chars.Add(c);
        }

        return new string([.. chars]);
    }
}
