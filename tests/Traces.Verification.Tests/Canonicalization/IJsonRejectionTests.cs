using System.Text;
using System.Text.Json;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Tests.Canonicalization;

public class IJsonRejectionTests
{
    [Theory]
    [InlineData("""{"a":1,"a":2}""", "/a")]
    [InlineData("""{"a":{"b":1,"b":2}}""", "/a/b")]
    [InlineData("""[0,{"x":[{"k":1,"j":2,"k":3}]}]""", "/1/x/0/k")]
    [InlineData("""{"a":1,"\u0061":2}""", "/a")]
    [InlineData("""{"\u00e9":1,"é":2}""", "/é")]
    [InlineData("""{"a/b":1,"a\/b":2}""", "/a~1b")]
    public void Canonicalize_DuplicateMemberName_IsRejectedWithPath(string json, string path)
    {
        TestJson.Rejected(json, CanonicalizationErrorKind.DuplicateMemberName, path);
        TestJson.RejectedAsElement(json, CanonicalizationErrorKind.DuplicateMemberName, path);
    }

    [Fact]
    public void Canonicalize_NamesDifferingOnlyInCase_AreNotDuplicates() =>
        Assert.Equal("""{"A":1,"a":2}""", TestJson.Canonical("""{"a":2,"A":1}"""));

    [Theory]
    [InlineData("""["\ud800"]""", "/0")]
    [InlineData("""["\udc00x"]""", "/0")]
    [InlineData("""["\ud800\u0041"]""", "/0")]
    [InlineData("""["\ude00\ud83d"]""", "/0")]
    [InlineData("""{"v":"ok \uDBFF"}""", "/v")]
    [InlineData("""{"\ud800":1}""", "/\uFFFD")]
    [InlineData("""{"a":{"\udc00x":1}}""", "/a/\uFFFDx")]
    [InlineData("""{"\ud800\u0041":true}""", "/\uFFFDA")]
    public void Canonicalize_LoneSurrogateEscape_IsRejectedWithPath(string json, string path)
    {
        TestJson.Rejected(json, CanonicalizationErrorKind.LoneSurrogate, path);
        TestJson.RejectedAsElement(json, CanonicalizationErrorKind.LoneSurrogate, path);
    }

    [Fact]
    public void Canonicalize_EscapedSurrogatePair_IsEmittedAsRawUtf8()
    {
        var result = JsonCanonicalizer.Canonicalize("""{"\ud83d\ude00":"\ud83d\ude00"}"""u8);

        Assert.True(result.IsSuccess);
        Assert.Equal(
            [0x7B, 0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22, 0x3A, 0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22, 0x7D],
            result.Utf8Bytes);
        Assert.Equal("{\"\U0001F600\":\"\U0001F600\"}", TestJson.Canonical("""{"\uD83D\uDE00":"\ud83d\ude00"}"""));
    }

    [Theory]
    [InlineData(new byte[] { 0x22, 0xC3, 0x28, 0x22 }, "")]
    [InlineData(new byte[] { 0x5B, 0x22, 0x61, 0xC3, 0x28, 0x22, 0x5D }, "/0")]
    [InlineData(new byte[] { 0x22, 0xED, 0xA0, 0x80, 0x22 }, "")] // a surrogate encoded directly in UTF-8
    [InlineData(new byte[] { 0x22, 0xC0, 0xAF, 0x22 }, "")] // overlong '/'
    [InlineData(new byte[] { 0x22, 0xF0, 0x9F, 0x98, 0x22 }, "")] // truncated sequence
    [InlineData(new byte[] { 0x22, 0xFF, 0x22 }, "")]
    public void Canonicalize_InvalidUtf8InString_IsInvalidJson(byte[] utf8, string path) =>
        TestJson.Rejected(utf8, CanonicalizationErrorKind.InvalidJson, path);

    [Fact]
    public void Canonicalize_InvalidUtf8InMemberName_IsInvalidJson() =>
        TestJson.Rejected([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], CanonicalizationErrorKind.InvalidJson);

    [Theory]
    [InlineData("{} x")]
    [InlineData("{}{}")]
    [InlineData("1 2")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[1,]")]
    [InlineData("""{"a":1,}""")]
    [InlineData("[1] // comment")]
    [InlineData("/* c */ [1]")]
    [InlineData("{'a':1}")]
    [InlineData("""{"a" 1}""")]
    [InlineData("[\"tab\there\"]")]
    [InlineData("""["\x"]""")]
    [InlineData("""["\u12"]""")]
    [InlineData("tru")]
    [InlineData("[")]
    [InlineData("\uFEFF{}")]
    public void Canonicalize_NotASingleJsonValue_IsInvalidJson(string json) =>
        TestJson.Rejected(json, CanonicalizationErrorKind.InvalidJson);

    [Theory]
    [InlineData("""{"a":[1,2,tru]}""", "/a/2")]
    [InlineData("""{"a":[tru]}""", "/a/0")]
    [InlineData("""{"a":{"b":tru}}""", "/a/b")]
    [InlineData("""{"a":{"b":1,}}""", "/a")]
    [InlineData("""{"a":1 "b":2}""", "")]
    [InlineData("[1,2] x", "")]
    public void Canonicalize_SyntaxError_PointsAtTheFailingValue(string json, string path) =>
        TestJson.Rejected(json, CanonicalizationErrorKind.InvalidJson, path);

    [Fact]
    public void Canonicalize_WhitespaceAroundTheValue_IsAllowed() =>
        Assert.Equal("""{"a":[1,2]}""", TestJson.Canonical(" \r\n\t{ \"a\" : [ 1 , 2 ] }\n "));

    [Fact]
    public void Canonicalize_Depth64_IsAccepted()
    {
        var json = new string('[', 64) + new string(']', 64);

        Assert.Equal(json, TestJson.Canonical(json));
    }

    [Fact]
    public void Canonicalize_Depth65_IsDepthExceededAtTheTooDeepContainer()
    {
        var json = new string('[', 65) + new string(']', 65);
        var path = string.Concat(Enumerable.Repeat("/0", 64));

        TestJson.Rejected(json, CanonicalizationErrorKind.DepthExceeded, path);
        TestJson.RejectedAsElement(json, CanonicalizationErrorKind.DepthExceeded, path);
    }

    [Fact]
    public void Canonicalize_DepthOverCustomLimit_ReportsObjectPath()
    {
        var limits = new CanonicalizationLimits { MaxDepth = 2 };

        Assert.True(JsonCanonicalizer.Canonicalize("""{"a":{"b":1}}"""u8, limits).IsSuccess);
        TestJson.Rejected("""{"a":{"b":{"c":1}}}""", CanonicalizationErrorKind.DepthExceeded, "/a/b", limits);
        TestJson.RejectedAsElement("""{"a":{"b":{"c":1}}}""", CanonicalizationErrorKind.DepthExceeded, "/a/b", limits);
    }

    [Fact]
    public void Canonicalize_TenThousandDeepArray_IsRejectedWithoutCrashing()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);

        TestJson.Rejected(json, CanonicalizationErrorKind.DepthExceeded);
        TestJson.RejectedAsElement(json, CanonicalizationErrorKind.DepthExceeded, string.Concat(Enumerable.Repeat("/0", 64)));
    }

    [Fact]
    public void Canonicalize_TenThousandDeepArrayWithRaisedLimit_DoesNotOverflowTheStack()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        var result = TestJson.ViaSpan(json, new CanonicalizationLimits { MaxDepth = 10_000 });

        // Either it fits the stack and is canonical, or the stack probe turns it into DepthExceeded; never a crash.
        Assert.True(result.IsSuccess ? result.Utf8Bytes.Length == 20_000 : result.Error.Kind == CanonicalizationErrorKind.DepthExceeded);
    }

    [Fact]
    public void Canonicalize_StringOverLimit_IsStringTooLong()
    {
        var limits = new CanonicalizationLimits { MaxStringLength = 3 };

        Assert.True(TestJson.ViaSpan("""["abc","\u00e9\u00e9\u00e9","ééé"]""", limits).IsSuccess);
        TestJson.Rejected("""["abc","abcd"]""", CanonicalizationErrorKind.StringTooLong, "/1", limits);
        TestJson.Rejected("""["ééé\n"]""", CanonicalizationErrorKind.StringTooLong, "/0", limits);
        TestJson.Rejected("""{"x":{"long":1}}""", CanonicalizationErrorKind.StringTooLong, "/x/long", limits);
        TestJson.RejectedAsElement("""["abc","abcd"]""", CanonicalizationErrorKind.StringTooLong, "/1", limits);
    }

    [Fact]
    public void Canonicalize_StringLimit_CountsUtf16CodeUnits()
    {
        var limits = new CanonicalizationLimits { MaxStringLength = 2 };

        // U+1F600 is one code point but two UTF-16 code units, and four UTF-8 bytes.
        Assert.True(TestJson.ViaSpan("\"\U0001F600\"", limits).IsSuccess);
        TestJson.Rejected("\"\U0001F600a\"", CanonicalizationErrorKind.StringTooLong, "", limits);
    }

    [Fact]
    public void Canonicalize_InputOverLimit_IsTooLarge()
    {
        var limits = new CanonicalizationLimits { MaxInputBytes = 8 };

        Assert.True(JsonCanonicalizer.Canonicalize("[1,2,3] "u8, limits).IsSuccess);
        TestJson.Rejected("[1,2,3,4]", CanonicalizationErrorKind.TooLarge, "", limits);

        using var document = JsonDocument.Parse("[1,2,3,4]");
        Assert.Equal(CanonicalizationErrorKind.TooLarge, JsonCanonicalizer.Canonicalize(document.RootElement, limits).Error?.Kind);
    }

    [Fact]
    public void Limits_RejectNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CanonicalizationLimits { MaxDepth = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CanonicalizationLimits { MaxStringLength = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CanonicalizationLimits { MaxInputBytes = -1 });
        Assert.Equal(64, CanonicalizationLimits.Default.MaxDepth);
        Assert.Equal(1_048_576, CanonicalizationLimits.Default.MaxStringLength);
        Assert.Equal(16L * 1024 * 1024, CanonicalizationLimits.Default.MaxInputBytes);
    }

    [Fact]
    public void ProgrammerErrors_Throw()
    {
        Assert.Throws<ArgumentException>(() => JsonCanonicalizer.Canonicalize(default(JsonElement)));
        using var document = JsonDocument.Parse("1");
        Assert.Throws<ArgumentNullException>(() => JsonCanonicalizer.TryWrite(document.RootElement, null!));
    }

    [Fact]
    public void DefaultResult_IsAFailure()
    {
        CanonicalizationResult result = default;

        Assert.False(result.IsSuccess);
        Assert.Equal(CanonicalizationErrorKind.InvalidJson, result.Error.Kind);
    }

    [Fact]
    public void Canonicalize_Element_FromADocumentWithIgnoredFeatures_IsStillChecked()
    {
        // A caller's lenient document (comments, trailing commas) still yields the canonical form of its values.
        using var document = JsonDocument.Parse(
            "{\"b\":[1,],/*c*/\"a\":\"x\"}", new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });

        Assert.Equal("""{"a":"x","b":[1]}""", Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(document.RootElement).Utf8Bytes!));
    }

    [Fact]
    public void Canonicalize_ElementInsideALargerDocument_CanonicalizesOnlyThatValue()
    {
        using var document = JsonDocument.Parse("""{"payload":{"z":1,"a":[true,false,null]},"other":{"a":1,"a":2}}""");

        var result = JsonCanonicalizer.Canonicalize(document.RootElement.GetProperty("payload"));

        Assert.Equal("""{"a":[true,false,null],"z":1}""", Encoding.UTF8.GetString(result.Utf8Bytes!));
    }
}
