using System.Text;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Tests.Canonicalization;

public class EscapingTests
{
    [Theory]
    [InlineData("""["\u0000"]""", """["\u0000"]""")]
    [InlineData("""["\u001F"]""", """["\u001f"]""")]
    [InlineData("""["\u001f"]""", """["\u001f"]""")]
    [InlineData("""["\u000B"]""", """["\u000b"]""")]
    [InlineData("""["\u0008\u0009\u000A\u000C\u000D"]""", """["\b\t\n\f\r"]""")]
    [InlineData("""["\b\t\n\f\r"]""", """["\b\t\n\f\r"]""")]
    [InlineData("""["\"\\\/"]""", """["\"\\/"]""")]
    [InlineData("""["\u0022\u005C\u002F"]""", """["\"\\/"]""")]
    [InlineData("""["\u0041\u00e9"]""", "[\"Aé\"]")]
    [InlineData("""["\u007f"]""", "[\"\u007f\"]")]
    [InlineData("""["\u2028\u2029"]""", "[\"\u2028\u2029\"]")]
    [InlineData("""["\uFEFF"]""", "[\"\uFEFF\"]")]
    [InlineData("""{"\u001f\n":0}""", """{"\u001f\n":0}""")]
    public void Canonicalize_Strings_UseRfc8785Escapes(string json, string expected) =>
        Assert.Equal(expected, TestJson.Canonical(json));

    [Fact]
    public void Canonicalize_Del_AndLineSeparator_AreRawBytes()
    {
        var result = JsonCanonicalizer.Canonicalize("\"\\u007f\\u2028\""u8);

        Assert.Equal(new byte[] { 0x22, 0x7F, 0xE2, 0x80, 0xA8, 0x22 }, result.Utf8Bytes);
    }

    [Fact]
    public void Canonicalize_RawNonAsciiText_IsPreservedUnchanged()
    {
        var json = "[\"€ 日本 \U0001F600 \u007f\"]";

        Assert.Equal(json, TestJson.Canonical(json));
    }

    [Fact]
    public void Canonicalize_Members_AreSortedByUtf16CodeUnits()
    {
        // RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB01 in UTF-16, though after it in UTF-8.
        var json = "{\"\uFB01\":1,\"\U0001F600\":2,\"b\":3,\"a\":4,\"\":5,\"aa\":6,\"\u00e9\":7}";

        Assert.Equal("{\"\":5,\"a\":4,\"aa\":6,\"b\":3,\"\u00e9\":7,\"\U0001F600\":2,\"\uFB01\":1}", TestJson.Canonical(json));
    }

    [Fact]
    public void Canonicalize_LargeObject_IsSortedAndChecked()
    {
        var names = Enumerable.Range(0, 40).Select(i => "k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var shuffled = names.ToArray();
        new Random(42).Shuffle(shuffled);

        var canonical = TestJson.Canonical("{" + string.Join(",", shuffled.Select(n => $"\"{n}\":0")) + "}");

        Assert.Equal("{" + string.Join(",", names.Order(StringComparer.Ordinal).Select(n => $"\"{n}\":0")) + "}", canonical);
        TestJson.Rejected("{" + string.Join(",", shuffled.Append("k17").Select(n => $"\"{n}\":0")) + "}", CanonicalizationErrorKind.DuplicateMemberName, "/k17");
    }

    [Fact]
    public void TryWrite_Span_WritesCanonicalBytesOrReturnsTheError()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Null(JsonCanonicalizer.TryWrite("""{"b":[1.0,"\u00e9"],"a":null}"""u8, output));
        Assert.Equal("{\"a\":null,\"b\":[1,\"é\"]}", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal(CanonicalizationErrorKind.DuplicateMemberName, JsonCanonicalizer.TryWrite("""{"a":1,"a":1}"""u8, output)?.Kind);
    }

    [Fact]
    public void Canonicalize_NestedStructures_AreSortedRecursivelyWithoutWhitespace() =>
        Assert.Equal(
            """{"a":[{"x":1,"y":{"c":null,"d":false}}],"b":true}""",
            TestJson.Canonical("""{ "b" : true , "a" : [ { "y" : { "d" : false , "c" : null } , "x" : 1 } ] }"""));

    [Fact]
    public void Canonicalize_LongEscapedString_RoundTrips()
    {
        var value = new string('\u0001', 5000) + new string('é', 5000) + "\U0001F600";
        var json = System.Text.Json.JsonSerializer.Serialize(value);

        var result = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json));

        Assert.Equal(value, System.Text.Json.JsonSerializer.Deserialize<string>(result.Utf8Bytes));
        Assert.Equal(2 + (5000 * 6) + (5000 * 2) + 4, result.Utf8Bytes!.Length);
    }
}
