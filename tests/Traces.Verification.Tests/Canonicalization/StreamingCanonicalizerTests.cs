using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;

namespace Traces.Verification.Tests.Canonicalization;

/// <summary>
/// RFC 8785 straight from the reader's tokens (<see cref="StreamingCanonicalizer"/>) must write exactly what the
/// reference (<see cref="CanonicalWriter"/> over a <see cref="JsonDocument"/>) writes, and must decline whatever the
/// reference rejects, so that the reference gives the error.
/// </summary>
public class StreamingCanonicalizerTests
{
    [Theory]
    [MemberData(nameof(VectorTests.Names), MemberType = typeof(VectorTests))]
    public void TryWrite_Rfc8785Vectors_MatchCyberphoneOutputByteForByte(string name)
    {
        var canonicalizer = new StreamingCanonicalizer();

        Assert.True(canonicalizer.TryWrite(File.ReadAllBytes(TestVectors.PathOf("jcs", "input", name + ".json")), CanonicalizationLimits.Default));
        Assert.Equal(File.ReadAllBytes(TestVectors.PathOf("jcs", "output", name + ".json")), canonicalizer.Written.ToArray());
    }

    /// <summary>Escapes, number forms, member orders (UTF-16, not UTF-8, order), nesting: exact canonical bytes.</summary>
    [Theory]
    [InlineData("{ \"b\": 2, \"a\": [1.50, \"x\"] }", "{\"a\":[1.5,\"x\"],\"b\":2}")]
    [InlineData("{\"€\":1,\"\\r\":2,\"1\":3}", "{\"\\r\":2,\"1\":3,\"€\":1}")]
    [InlineData("{\"\\u0062\":1,\"a\":{\"d\":[{\"z\":0,\"y\":-0}],\"c\":\"\\u00e9\\/\\t\\u001f\\u007f\"}}", "{\"a\":{\"c\":\"é/\\t\\u001f\u007f\",\"d\":[{\"y\":0,\"z\":0}]},\"b\":1}")]
    [InlineData("{\"\ufb33\":2,\"\\ud83d\\ude00\":1}", "{\"😀\":1,\"\ufb33\":2}")] // U+1F600 before U+FB33 as UTF-16 (D83D < FB33), after it as UTF-8
    [InlineData("{\"\ufb33\":2,\"😀\":1}", "{\"😀\":1,\"\ufb33\":2}")]
    [InlineData("[1E21,1e-7,0.000001,1e20,123.456000,-0.0,0.1e1,5e-324,1.7976931348623157e308]", "[1e+21,1e-7,0.000001,100000000000000000000,123.456,0,1,5e-324,1.7976931348623157e+308]")]
    [InlineData("[9007199254740991,-9007199254740991,-0,0,12.5,-0.5,0.30000000000000004]", "[9007199254740991,-9007199254740991,0,0,12.5,-0.5,0.30000000000000004]")]
    [InlineData("\"\\\"\\\\\\b\\f\\n\\r\\t\\u2028\"", "\"\\\"\\\\\\b\\f\\n\\r\\t\u2028\"")]
    [InlineData("  null ", "null")]
    [InlineData("{}", "{}")]
    [InlineData("[[],{},[{}]]", "[[],{},[{}]]")]
    [InlineData("{\"b\":{\"d\":1,\"c\":2},\"a\":{\"f\":[3,{\"h\":1,\"g\":2}],\"e\":4}}", "{\"a\":{\"e\":4,\"f\":[3,{\"g\":2,\"h\":1}]},\"b\":{\"c\":2,\"d\":1}}")]
    public void TryWrite_NonCanonicalInput_WritesTheReferenceBytes(string input, string expected)
    {
        var canonicalizer = new StreamingCanonicalizer();
        var utf8 = Encoding.UTF8.GetBytes(input);

        Assert.True(canonicalizer.TryWrite(utf8, CanonicalizationLimits.Default));
        Assert.Equal(expected, Encoding.UTF8.GetString(canonicalizer.Written));
        using var document = JsonDocument.Parse(utf8);
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(document.RootElement).Utf8Bytes!));
    }

    /// <summary>What the reference rejects is declined, and the public API still gives the reference's error.</summary>
    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", CanonicalizationErrorKind.DuplicateMemberName, "/a")]
    [InlineData("{\"b\":1,\"a\":2,\"\\u0062\":3}", CanonicalizationErrorKind.DuplicateMemberName, "/b")]
    [InlineData("[\"\\ud800\"]", CanonicalizationErrorKind.LoneSurrogate, "/0")]
    [InlineData("{\"\\udc00\":1}", CanonicalizationErrorKind.LoneSurrogate, "/\ufffd")]
    [InlineData("[9007199254740992]", CanonicalizationErrorKind.UnsafeInteger, "/0")]
    [InlineData("{\"x\":[1e400]}", CanonicalizationErrorKind.NonFiniteNumber, "/x/0")]
    [InlineData("[1,]", CanonicalizationErrorKind.InvalidJson, "/1")]
    [InlineData("[1] 2", CanonicalizationErrorKind.InvalidJson, "")]
    public void TryWrite_RejectedInput_IsDeclinedAndTheReferenceGivesTheError(string input, CanonicalizationErrorKind kind, string path)
    {
        var utf8 = Encoding.UTF8.GetBytes(input);

        Assert.False(new StreamingCanonicalizer().TryWrite(utf8, CanonicalizationLimits.Default));
        var result = JsonCanonicalizer.Canonicalize(utf8);
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(path, result.Error.Path);
    }

    [Fact]
    public void TryWrite_InvalidUtf8_ByteOrderMark_TooDeep_TooLong_AreDeclined()
    {
        var canonicalizer = new StreamingCanonicalizer();
        Assert.False(canonicalizer.TryWrite([(byte)'"', 0xC0, 0x80, (byte)'"'], CanonicalizationLimits.Default));
        Assert.False(canonicalizer.TryWrite([(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'], CanonicalizationLimits.Default));
        Assert.False(canonicalizer.TryWrite([0xEF, 0xBB, 0xBF, (byte)'1'], CanonicalizationLimits.Default));
        Assert.False(canonicalizer.TryWrite("[[[1]]]"u8, new CanonicalizationLimits { MaxDepth = 2 }));
        Assert.True(canonicalizer.TryWrite("[[1]]"u8, new CanonicalizationLimits { MaxDepth = 2 }));
        Assert.False(canonicalizer.TryWrite("[\"abcd\"]"u8, new CanonicalizationLimits { MaxStringLength = 3 }));
        Assert.False(canonicalizer.TryWrite("[1,2,3]"u8, new CanonicalizationLimits { MaxInputBytes = 6 }));
        Assert.True(canonicalizer.TryWrite("[1,2,3]"u8, new CanonicalizationLimits { MaxInputBytes = 7 }));
        Assert.Equal("[1,2,3]", Encoding.UTF8.GetString(canonicalizer.Written));
    }

    /// <summary>The reader is left on the value's last token, so the entry reader goes on with the next member.</summary>
    [Fact]
    public void TryWrite_OnAReader_StopsAtTheValuesEnd()
    {
        var reader = new Utf8JsonReader("{\"p\":{\"b\":[1,2],\"a\":null},\"q\":7}"u8);
        reader.Read();
        reader.Read();
        reader.Read();
        var canonicalizer = new StreamingCanonicalizer();

        Assert.True(canonicalizer.TryWrite(ref reader, CanonicalizationLimits.Default));
        Assert.Equal("{\"a\":null,\"b\":[1,2]}", Encoding.UTF8.GetString(canonicalizer.Written));
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal("q", reader.GetString());
    }

    /// <summary>The plain-decimal shortcut is taken only where parsing and formatting give the token back.</summary>
    [Theory]
    [InlineData("12.5", true)]
    [InlineData("-0.5", true)]
    [InlineData("0.000001", true)]
    [InlineData("0.0000001", false)]
    [InlineData("123456789012345.6", false)]
    [InlineData("12345678901234.5", true)]
    [InlineData("0.123456789012345", true)]
    [InlineData("0.1234567890123456", false)]
    [InlineData("1.50", false)]
    [InlineData("1.0", false)]
    [InlineData("1e5", false)]
    [InlineData("1.5e5", false)]
    [InlineData("-0.0", false)]
    [InlineData("7", false)]
    public void IsShortestPlainDecimal_KnownTokens(string token, bool expected)
    {
        var utf8 = Encoding.ASCII.GetBytes(token);
        Assert.Equal(expected, StreamingCanonicalizer.IsShortestPlainDecimal(utf8));
        if (expected)
        {
            Assert.Equal(token, FormatReference(utf8));
        }
    }

    [Fact]
    public void IsShortestPlainDecimal_RandomDecimals_AgreeWithParseAndFormat()
    {
        var random = new Random(20261202);
        var taken = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var integerDigits = random.Next(0, 16);
            var fractionDigits = random.Next(1, 17);
            var text = new StringBuilder();
            if (random.Next(2) == 0)
            {
                text.Append('-');
            }

            text.Append(integerDigits == 0 ? "0" : random.NextInt64(1, 10).ToString(CultureInfo.InvariantCulture));
            for (var d = 1; d < integerDigits; d++)
            {
                text.Append((char)('0' + random.Next(10)));
            }

            text.Append('.');
            for (var d = 0; d < fractionDigits; d++)
            {
                // Runs of zeros, to reach the 10^-6 edge and trailing zeros.
                text.Append(random.Next(3) == 0 ? '0' : (char)('0' + random.Next(10)));
            }

            var utf8 = Encoding.ASCII.GetBytes(text.ToString());
            if (StreamingCanonicalizer.IsShortestPlainDecimal(utf8))
            {
                taken++;
                Assert.Equal(text.ToString(), FormatReference(utf8));
            }
        }

        Assert.True(taken > 10_000, $"only {taken} shortcuts");
    }

    /// <summary>
    /// The stream reader hashes a payload as it reads the entry: the same digest as the reference over the kept
    /// payload, for canonical and non-canonical payloads alike, and the exact SHA-256 of the canonical bytes.
    /// </summary>
    [Theory]
    [InlineData("{ \"b\": 2, \"a\": [1.50, \"x\"] }", "9d2d5023722806603b789c1acf2a8e3be1cd88e46fab93731a1cc82a7d083554")]
    [InlineData("{\"a\":[1.5,\"x\"],\"b\":2}", "9d2d5023722806603b789c1acf2a8e3be1cd88e46fab93731a1cc82a7d083554")]
    [InlineData("{\"€\":1,\"\\r\":2,\"\\u0031\":3}", "c09bf1b4a80778801254479094b6c4055a41ffbcc98fd721d4a89c27c9d465fa")]
    [InlineData("null", "74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b")]
    public void TryRead_WithPayloadHasher_KeepsTheReferencePayloadHash(string payload, string expectedHex)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"index\":0,\"event_id\":\"evt_1\",\"payload\":{payload},\"previous_chain_hash\":null}}");
        var payloads = new BundleEntryFastReader.PayloadHasher();

        Assert.True(BundleEntryFastReader.TryRead(json, 64, chained: true, out var hashed, out _, out _, null, payloads));
        Assert.True(BundleEntryFastReader.TryRead(json, 64, chained: true, out var kept, out _, out _));

        Assert.Equal(1, payloads.Hashed);
        Assert.Null(hashed!.Payload);
        Assert.Null(kept!.ReadPayloadHash);
        Assert.Equal("sha256:" + expectedHex, hashed.ReadPayloadHash.ToString());
        Assert.Equal("sha256:" + expectedHex, EntryHasher.ComputePayloadHash(kept.Payload!.Value).ToString());
        Assert.Equal(expectedHex, Convert.ToHexStringLower(SHA256.HashData(JsonCanonicalizer.Canonicalize(kept.Payload!.Value).Utf8Bytes!)));
        Assert.Equal("evt_1", hashed.EventId);
    }

    /// <summary>A payload the streaming canonicalizer declines is kept, for the session to report as the reference does.</summary>
    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("[\"\\ud800\"]")]
    [InlineData("[9007199254740993]")]
    public void TryRead_WithPayloadHasher_DeclinedPayloadIsKept(string payload)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"index\":0,\"payload\":{payload},\"event_id\":\"evt_1\",\"previous_chain_hash\":null}}");
        var payloads = new BundleEntryFastReader.PayloadHasher();

        Assert.True(BundleEntryFastReader.TryRead(json, 64, chained: true, out var entry, out _, out _, null, payloads));

        Assert.Equal(0, payloads.Hashed);
        Assert.Null(entry!.ReadPayloadHash);
        Assert.Equal(payload, entry.Payload!.Value.GetRawText());
        Assert.Equal("evt_1", entry.EventId);
    }

    /// <summary>A payload written twice: the last value counts, whichever way each was read.</summary>
    [Fact]
    public void TryRead_WithPayloadHasher_PayloadWrittenTwice_TheLastCounts()
    {
        var payloads = new BundleEntryFastReader.PayloadHasher();
        var hashedLast = Encoding.UTF8.GetBytes("{\"payload\":{\"a\":1,\"a\":2},\"payload\":null,\"previous_chain_hash\":null}");
        var keptLast = Encoding.UTF8.GetBytes("{\"payload\":null,\"payload\":{\"a\":1,\"a\":2},\"previous_chain_hash\":null}");

        Assert.True(BundleEntryFastReader.TryRead(hashedLast, 64, chained: true, out var first, out _, out var duplicate, null, payloads));
        Assert.Equal("payload", duplicate);
        Assert.Null(first!.Payload);
        Assert.Equal("sha256:74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b", first.ReadPayloadHash.ToString());

        Assert.True(BundleEntryFastReader.TryRead(keptLast, 64, chained: true, out var second, out _, out _, null, payloads));
        Assert.Null(second!.ReadPayloadHash);
        Assert.Equal("{\"a\":1,\"a\":2}", second.Payload!.Value.GetRawText());
    }

    /// <summary>
    /// With the stream reader's context, payload_hash, content_hash and signature in form are decoded from their UTF-8;
    /// their text, built when asked for, is the text the entry carried. Out of form (uppercase, escaped, short) they are
    /// read as text, as without the context.
    /// </summary>
    [Fact]
    public void TryRead_WithPayloadHasher_DecodesDigestsAndSignatureInForm()
    {
        var bundle = TestTraceSigner.Default.CreateBundle("tr_decode01", TestTraceSigner.SampleEntries(2));
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle.Events![1], TracesJsonContext.Default.BundleEntry);
        var original = bundle.Events[1];

        Assert.True(BundleEntryFastReader.TryRead(json, 64, chained: true, out var read, out _, out _, null, new BundleEntryFastReader.PayloadHasher()));

        Assert.Equal(original.PayloadHash, read!.PayloadHashDigest.ToString());
        Assert.Equal(original.ContentHash, read.ContentHashDigest.ToString());
        Assert.Equal(original.Signature, WireEncoding.FormatEd25519Signature(read.SignatureBytes));
        Assert.Equal(original.PayloadHash, read.PayloadHash);
        Assert.Equal(original.ContentHash, read.ContentHash);
        Assert.Equal(original.Signature, read.Signature);
    }

    [Theory]
    [InlineData("\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"", "\"ed25519:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"sha256:\\u0030123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"", "\"ed25519:\\u0030123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"")]
    [InlineData("\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\"", "\"ed25519:0123456789abcdef\"")]
    [InlineData("\"md5:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"", "\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345\"")]
    public void TryRead_WithPayloadHasher_OutOfFormValuesStayText(string digest, string signature)
    {
        var json = Encoding.UTF8.GetBytes($"{{\"index\":0,\"payload_hash\":{digest},\"content_hash\":{digest},\"signature\":{signature},\"previous_chain_hash\":null}}");

        Assert.True(BundleEntryFastReader.TryRead(json, 64, chained: true, out var read, out _, out _, null, new BundleEntryFastReader.PayloadHasher()));
        Assert.True(BundleEntryFastReader.TryRead(json, 64, chained: true, out var plain, out _, out _));

        Assert.Null(read!.PayloadHashDigest);
        Assert.Null(read.ContentHashDigest);
        Assert.Null(read.SignatureBytes);
        Assert.Equal(plain!.PayloadHash, read.PayloadHash);
        Assert.Equal(plain.ContentHash, read.ContentHash);
        Assert.Equal(plain.Signature, read.Signature);
    }

    private static string FormatReference(byte[] token)
    {
        Span<byte> output = stackalloc byte[EcmaScriptNumber.MaxLength];
        var length = EcmaScriptNumber.Format(double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture), output);
        return Encoding.ASCII.GetString(output[..length]);
    }
}
