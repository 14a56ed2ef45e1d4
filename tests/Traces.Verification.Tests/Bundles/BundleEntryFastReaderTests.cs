using System.Text;
using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Pipeline;

namespace Traces.Verification.Tests.Bundles;

/// <summary>The reader's fast paths must agree with the reference implementations they shortcut.</summary>
public class BundleEntryFastReaderTests
{
    private static readonly ProofBundle s_bundle = TestTraceSigner.Default.CreateBundle("tr_fast0001", TestTraceSigner.SampleEntries(5));

    [Fact]
    public void TryRead_SerializedEntries_EqualTheSerializersEntries()
    {
        foreach (var original in s_bundle.Events!)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(original, TracesJsonContext.Default.BundleEntry);
            Assert.True(BundleEntryFastReader.TryRead(json, out var fast, out var form));
            Assert.Equal(TextFormIssues.None, form);
            var reference = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.BundleEntry)!;
            Assert.Equal(JsonSerializer.Serialize(reference, TracesJsonContext.Default.BundleEntry), JsonSerializer.Serialize(fast!, TracesJsonContext.Default.BundleEntry));
            Assert.Null(fast!.AdditionalProperties);
        }
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("1")]
    public void TryRead_NotAnObject_ReturnsFalse(string json)
    {
        Assert.False(BundleEntryFastReader.TryRead(Encoding.UTF8.GetBytes(json), out _, out _));
    }

    /// <summary>Proof-format §9: a member written twice is malformed, and its last value is the one checked.</summary>
    [Fact]
    public void TryRead_DuplicateMember_LastValueIsReadAndTheNameReported()
    {
        Assert.True(BundleEntryFastReader.TryRead("{\"index\":0,\"event_id\":\"evt_a\",\"index\":1,\"event_id\":\"evt_b\"}"u8, 64, chained: true,
            out var entry, out _, out var duplicate));

        Assert.Equal(1, ((BundleEntry)entry!).Index);
        Assert.Equal("evt_b", entry.EventId);
        Assert.Equal("index", duplicate);
    }

    [Theory]
    [InlineData("{\"ind\\u0065x\":3}", 3L)] // an escaped name is the same name
    [InlineData("{\"index\":1.5}", null)]
    [InlineData("{\"index\":2.0}", null)] // §9: an integer is an integer literal
    [InlineData("{\"index\":7e0}", null)]
    [InlineData("{\"index\":\"1\"}", null)]
    [InlineData("{\"index\":9007199254740993}", 9007199254740993L)] // read; out of I-JSON range, reported by the session
    public void TryRead_Index_IsAnIntegerLiteralOrMissing(string json, long? expected)
    {
        Assert.True(BundleEntryFastReader.TryRead(Encoding.UTF8.GetBytes(json), out var entry, out _));
        Assert.Equal(expected, entry!.Index);
    }

    [Fact]
    public void TryRead_UnknownMember_IsKeptForAFinding()
    {
        Assert.True(BundleEntryFastReader.TryRead("{\"index\":0,\"extra\":[1,{\"a\":2}]}"u8, out var entry, out _));
        Assert.Equal("[1,{\"a\":2}]", entry!.AdditionalProperties!["extra"].GetRawText());
    }

    [Fact]
    public void TryRead_StringOfTheWrongType_IsReadAsMissing()
    {
        Assert.True(BundleEntryFastReader.TryRead("{\"event_id\":1,\"event_type\":\"\\ud800\"}"u8, out var entry, out _));
        Assert.Null(entry!.EventId);
        Assert.Null(entry.EventType);
    }

    /// <summary>Proof-format §9.1: only an absent payload is withheld; null, false, 0 and "" are payloads.</summary>
    [Theory]
    [InlineData("null", JsonValueKind.Null)]
    [InlineData("false", JsonValueKind.False)]
    [InlineData("0", JsonValueKind.Number)]
    [InlineData("\"\"", JsonValueKind.String)]
    [InlineData("{\"x\":{\"a\":1,\"a\":2}}", JsonValueKind.Object)] // kept whole: the canonicalizer rejects the duplicate
    public void TryRead_Payload_AnyValueIsAPayload(string payload, JsonValueKind kind)
    {
        Assert.True(BundleEntryFastReader.TryRead(Encoding.UTF8.GetBytes($"{{\"payload\":{payload}}}"), out var entry, out _));
        Assert.Equal(kind, entry!.Payload!.Value.ValueKind);
        Assert.Equal(payload, entry.Payload.Value.GetRawText());
    }

    [Fact]
    public void TryRead_NoPayloadMember_IsWithheld()
    {
        Assert.True(BundleEntryFastReader.TryRead("{\"index\":0}"u8, out var entry, out _));
        Assert.Null(entry!.Payload);
    }

    /// <summary>What only the text shows is found the same way by the fast reader and by the fallback's inspection.</summary>
    [Theory]
    [InlineData("{\"index\":0,\"previous_chain_hash\":null,\"public_key\":null}", (int)TextFormIssues.PublicKeyNull)]
    [InlineData("{\"index\":0}", (int)TextFormIssues.PreviousChainHashAbsent)]
    [InlineData("{\"index\":-0,\"previous_chain_hash\":null}", (int)TextFormIssues.IndexNegativeZero)]
    [InlineData("{\"index\":-0,\"public_key\":null}", (int)(TextFormIssues.IndexNegativeZero | TextFormIssues.PublicKeyNull | TextFormIssues.PreviousChainHashAbsent))]
    [InlineData("{\"index\":0,\"previous_chain_hash\":null,\"public_key\":\"x\",\"payload\":{\"public_key\":null,\"index\":-0}}", 0)]
    public void TryRead_TextFormIssues_AgreeWithTheInspection(string json, int expectedIssues)
    {
        var expected = (TextFormIssues)expectedIssues;
        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.True(BundleEntryFastReader.TryRead(bytes, out _, out var fast));
        Assert.Equal(expected, fast);
        Assert.Equal(expected, TextForm.Inspect(bytes, chained: true));
    }

    [Fact]
    public void TryRead_InvalidUtf8InAString_IsReadAsMissing()
    {
        // The stream reader stops at invalid UTF-8 before an entry is read (§2.2 rule 1); alone, the string has no value.
        byte[] json = [.. "{\"event_id\":\"a"u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.True(BundleEntryFastReader.TryRead(json, out var entry, out _));
        Assert.Null(entry!.EventId);
    }

    [Theory]
    [InlineData("2026-03-17T12:05:00.000000Z")]
    [InlineData("2024-02-29T23:59:59.999999Z")]
    [InlineData("2023-02-29T00:00:00.000000Z")]
    [InlineData("2026-13-01T00:00:00.000000Z")]
    [InlineData("2026-04-31T00:00:00.000000Z")]
    [InlineData("2026-03-17T24:00:00.000000Z")]
    [InlineData("2026-03-17T12:60:00.000000Z")]
    [InlineData("2026-03-17T12:05:60.000000Z")]
    [InlineData("0000-01-01T00:00:00.000000Z")]
    [InlineData("2026-03-17T12:05:00.00000aZ")]
    [InlineData("2026-03-17 12:05:00.000000Z")]
    [InlineData("2026-03-17T12:05:00.000000z")]
    [InlineData("2026-03-17T12:05:00.000000+")]
    [InlineData("2026-03-17T12:05:00.0000000Z")]
    [InlineData("")]
    [InlineData(null)]
    public void IsCanonicalTimestamp_AgreesWithTraceTimestamp(string? text)
    {
        Assert.Equal(TraceTimestamp.IsCanonical(text), EntryFastPaths.IsCanonicalTimestamp(text));
    }

    [Theory]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\u0660f")]
    [InlineData(null)]
    public void TryParseDigest_AgreesWithDigestTryParse(string? text)
    {
        var expected = Digest.TryParse(text, out var reference);
        Assert.Equal(expected, EntryFastPaths.TryParseDigest(text, out var fast));
        if (expected)
        {
            Assert.Equal(reference, fast);
        }
    }

    [Fact]
    public void ContentHash_AgreesWithEntryHasher()
    {
        var fast = new EntryFastPaths();
        var payload = Digest.Compute("x"u8);
        Assert.Equal(EntryHasher.ComputeContentHash("evt_1", "agent.step/a", "2026-03-17T12:05:00.000000Z", payload),
            fast.ContentHash("evt_1", "agent.step/a", "2026-03-17T12:05:00.000000Z", payload));
        var longId = new string('a', 128);
        var longType = new string('b', 128);
        Assert.Equal(EntryHasher.ComputeContentHash(longId, longType, "2026-03-17T12:05:00.000000Z", payload),
            fast.ContentHash(longId, longType, "2026-03-17T12:05:00.000000Z", payload));
    }
}
