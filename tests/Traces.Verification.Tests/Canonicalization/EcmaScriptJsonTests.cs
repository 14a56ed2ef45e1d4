using System.Text;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Tests.Canonicalization;

/// <summary>
/// ECMAScript JSON.stringify of strings (ECMA-262 §25.5.2.3 QuoteJSONString). Every expected text below is what
/// Node.js 20 prints for <c>JSON.stringify(value)</c>.
/// </summary>
public class EcmaScriptJsonTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001f\"")]
    [InlineData("\b\t\n\f\r", "\"\\b\\t\\n\\f\\r\"")]
    [InlineData("\u000b\u0007", "\"\\u000b\\u0007\"")]
    [InlineData("\"\\/", "\"\\\"\\\\/\"")]
    [InlineData("\u007f\u0080\u2028\u2029\uFEFF", "\"\u007f\u0080\u2028\u2029\uFEFF\"")]
    [InlineData("€ 日本 \U0001F600", "\"€ 日本 \U0001F600\"")]
    [InlineData("policy \u2014 effect: allow", "\"policy \u2014 effect: allow\"")]
    public void Quote_WellFormedText_MatchesJsonStringify(string value, string expected) =>
        Assert.Equal(expected, EcmaScriptJson.Quote(value));

    [Fact]
    public void Quote_LoneSurrogate_IsEscapedInLowercaseHex()
    {
        // Built in code: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
        (string Value, string Expected)[] cases =
        [
            ("x" + (char)0xD800 + "y", "\"x\\ud800y\""),
            (((char)0xDC00).ToString(), "\"\\udc00\""),
            ((char)0xDFFF + ((char)0xD800).ToString(), "\"\\udfff\\ud800\""),
            ("a" + (char)0xD83D, "\"a\\ud83d\""),
            ("\U0001F600" + (char)0xD83D, "\"\U0001F600\\ud83d\""),
            ((char)0xDE00 + "\U0001F600", "\"\\ude00\U0001F600\""),
        ];

        Assert.All(cases, c => Assert.Equal(c.Expected, EcmaScriptJson.Quote(c.Value)));
    }

    [Fact]
    public void WriteString_PairedSurrogate_IsFourUtf8Bytes_LoneOne_SixAsciiBytes()
    {
        Assert.Equal("22f09f988022", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(EcmaScriptJson.Quote("\U0001F600"))));
        Assert.Equal("225c7564383364225c", Convert.ToHexStringLower(Encoding.UTF8.GetBytes(EcmaScriptJson.Quote(((char)0xD83D).ToString()) + "\\")));
    }

    [Fact]
    public void StringifyObject_KeepsMemberOrder_WithoutSpaces()
    {
        var bytes = EcmaScriptJson.StringifyObject(("z", "1"), ("a", "\u0007"), ("m", ""));

        Assert.Equal("{\"z\":\"1\",\"a\":\"\\u0007\",\"m\":\"\"}", Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData("2026-12-02T06:27:08.521Z")]
    [InlineData("0001-01-01T00:00:00.000Z")]
    [InlineData("9999-12-31T23:59:59.999Z")]
    [InlineData("2024-02-29T12:00:00.000Z")]
    public void ToIsoString_OfParsedText_IsTheSameText(string text)
    {
        Assert.True(EcmaScriptDate.TryParseIsoString(text, out var instant));
        Assert.Equal(text, EcmaScriptDate.ToIsoString(instant));
    }

    [Fact]
    public void ToIsoString_ConvertsToUtc_AndTruncatesToMilliseconds()
    {
        var instant = new DateTimeOffset(2026, 12, 2, 9, 27, 8, TimeSpan.FromHours(3)).AddTicks(5_219_999);

        Assert.Equal("2026-12-02T06:27:08.521Z", EcmaScriptDate.ToIsoString(instant));
    }

    [Theory]
    [InlineData("2026-12-02T06:27:08.521+00:00")]
    [InlineData("2026-12-02T06:27:08Z")]
    [InlineData("2026-12-02T06:27:08.5210Z")]
    [InlineData("2026-12-02T06:27:08.52Z")]
    [InlineData("2026-12-02t06:27:08.521z")]
    [InlineData("2026-12-02 06:27:08.521Z")]
    [InlineData("2026-02-30T06:27:08.521Z")]
    [InlineData("2026-12-02T24:00:00.000Z")]
    [InlineData("+002026-12-02T06:27:08.521Z")]
    [InlineData("")]
    public void TryParseIsoString_AnyOtherForm_IsRejected(string text) =>
        Assert.False(EcmaScriptDate.TryParseIsoString(text, out _));
}
