using System.Text.Json;
using Traces.Verification.Canonicalization;
using Traces.TestSupport;

namespace Traces.Verification.Tests.Canonicalization;

public class VectorTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(TestVectors.PathOf("jcs", "input"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void TestVectors_AreAllPresent() => Assert.Equal(6, Names().Count);

    [Theory]
    [MemberData(nameof(Names))]
    public void Canonicalize_Span_MatchesCyberphoneOutputByteForByte(string name)
    {
        var result = JsonCanonicalizer.Canonicalize(File.ReadAllBytes(TestVectors.PathOf("jcs", "input", name + ".json")));

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(File.ReadAllBytes(TestVectors.PathOf("jcs", "output", name + ".json")), result.Utf8Bytes);
        Assert.Equal(ExpectedFromHex(name), result.Utf8Bytes);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Canonicalize_Element_MatchesCyberphoneOutputByteForByte(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(TestVectors.PathOf("jcs", "input", name + ".json")));

        var result = JsonCanonicalizer.Canonicalize(document.RootElement);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        Assert.Equal(File.ReadAllBytes(TestVectors.PathOf("jcs", "output", name + ".json")), result.Utf8Bytes);
        Assert.Equal(ExpectedFromHex(name), result.Utf8Bytes);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TryWrite_Element_WritesTheSameBytes(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(TestVectors.PathOf("jcs", "input", name + ".json")));
        var output = new System.Buffers.ArrayBufferWriter<byte>(1);

        Assert.Null(JsonCanonicalizer.TryWrite(document.RootElement, output));
        Assert.Equal(ExpectedFromHex(name), output.WrittenSpan.ToArray());
    }

    private static byte[] ExpectedFromHex(string name)
    {
        var hex = string.Concat(File.ReadAllText(TestVectors.PathOf("jcs", "outhex", name + ".txt")).Where(Uri.IsHexDigit));
        return Convert.FromHexString(hex);
    }
}
