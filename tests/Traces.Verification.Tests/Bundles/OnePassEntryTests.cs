using System.Text;
using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;

namespace Traces.Verification.Tests.Bundles;

/// <summary>
/// The stream reader reads an entry in one pass (<see cref="BundleEntryFastReader.TryReadPrefix"/>) straight from its
/// buffer: whenever that pass takes an entry, it must be the entry the reference way reads (cut the value out, then read
/// it alone), and whatever it does not take goes the reference way.
/// </summary>
public class OnePassEntryTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static TheoryData<string> Entries() => new()
    {
        "{}",
        "{\"index\":0,\"event_id\":\"evt_a\",\"payload\":{\"b\":1,\"a\":[1.0,1e2,-0,\"x\"]},\"previous_chain_hash\":null,\"chain_hash\":\"sha256:" + Hex64 + "\"}",
        "{\"index\":1,\"payload_hash\":\"SHA256:" + Hex64.ToUpperInvariant() + "\",\"key_id\":\"sha256:\\u0030123\"}", // uppercase, escaped, short
        "{\"index\":1.0,\"event_id\":1e2,\"payload\":null,\"public_key\":null}",
        "{\"index\":0,\"index\":1,\"payload\":{\"a\":1,\"a\":2},\"payload\":\"\\ud800\"}", // duplicates, lone surrogate
        "{\"extra\":[1,{\"a\":[[[]]]}],\"payload\":[{\"deep\":[[[[1]]]]}]}",
        "{\"event_id\":\"caf\u00e9\",\"payload\":\"\u00ff\u00fe\"}",
        "{ \"index\" : 0 , \"payload\" : { } , \"previous_chain_hash\" : \"x\" }",
        "[1,2]",
        "\"entry\"",
        "17",
        "{\"index\":0,}", // trailing comma: broken JSON
        "{\"payload\":{\"a\":1]}", // broken nesting
        "{\"a\":/*comment*/1}",
    };

    [Theory]
    [MemberData(nameof(Entries))]
    public void TryReadPrefix_FollowedByMore_TakesOnlyWhatTheReferenceReadsTheSame(string text)
    {
        var entry = Encoding.UTF8.GetBytes(text);
        foreach (var tail in new[] { "", ",{\"index\":1}", "]", " , ", ",{\"index\":" })
        {
            foreach (var final in new[] { true, false })
            {
                var buffer = Encoding.UTF8.GetBytes(text + tail);
                var taken = BundleEntryFastReader.TryReadPrefix(buffer, final, 4, null, out var length, out var onePass, out var form, out var duplicate);
                if (!taken)
                {
                    continue;
                }

                // Taken: a whole object, the first `length` bytes, read as the reference reads exactly those bytes.
                Assert.Equal(entry.Length, ReferenceLength(buffer, final));
                Assert.Equal(entry.Length, length);
                Assert.True(BundleEntryFastReader.TryRead(buffer.AsSpan(0, length), 4, chained: true, out var reference, out var referenceForm, out var referenceDuplicate));
                Assert.Equal(referenceForm, form);
                Assert.Equal(referenceDuplicate, duplicate);
                Assert.Equal(Serialize(reference), Serialize(onePass));
            }
        }
    }

    /// <summary>Every cut of an entry before its closing brace is incomplete: never taken, so the reader waits for more.</summary>
    [Fact]
    public void TryReadPrefix_CutBeforeTheEnd_IsNeverTaken()
    {
        var bundle = TestTraceSigner.Default.CreateBundle("tr_onepass1", TestTraceSigner.SampleEntries(2));
        var entry = JsonSerializer.SerializeToUtf8Bytes(bundle.Events![1], TracesJsonContext.Default.BundleEntry);
        for (var cut = 0; cut < entry.Length; cut++)
        {
            Assert.False(BundleEntryFastReader.TryReadPrefix(entry.AsSpan(0, cut), isFinalBlock: false, 64, null, out _, out _, out _, out _), $"cut {cut}");
            Assert.False(BundleEntryFastReader.TryReadPrefix(entry.AsSpan(0, cut), isFinalBlock: true, 64, null, out _, out _, out _, out _), $"cut {cut}");
        }

        Assert.True(BundleEntryFastReader.TryReadPrefix(entry, isFinalBlock: false, 64, null, out var length, out _, out _, out _));
        Assert.Equal(entry.Length, length);
    }

    /// <summary>Nesting deeper than the limit is never taken (the reference way reports it).</summary>
    [Fact]
    public void TryReadPrefix_TooDeep_IsNotTaken()
    {
        var deep = Encoding.UTF8.GetBytes("{\"payload\":[[[[[1]]]]]}");
        Assert.False(BundleEntryFastReader.TryReadPrefix(deep, true, 4, null, out _, out _, out _, out _));
        Assert.True(BundleEntryFastReader.TryReadPrefix(deep, true, 5, null, out _, out _, out _, out _));
    }

    // The length the reference framing cuts out (BundleStreamReader.ReadValue: a reader with the entry's depth, TrySkip).
    private static int ReferenceLength(byte[] buffer, bool final)
    {
        var reader = new Utf8JsonReader(buffer, final, new JsonReaderState(new JsonReaderOptions { MaxDepth = 5, CommentHandling = JsonCommentHandling.Disallow }));
        Assert.True(reader.Read());
        Assert.True(reader.TrySkip());
        return (int)reader.BytesConsumed;
    }

    // Every member as read, raw JSON for the payload and unknown members (a lone surrogate has no serialization).
    internal static string Serialize(SignedEntry? entry) => entry is not BundleEntry e
        ? "none"
        : string.Join("|", e.Index?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<null>", e.EventId ?? "<null>", e.EventType ?? "<null>",
            e.Payload is { } payload ? payload.ValueKind + ":" + payload.GetRawText() : "<absent>", e.PayloadHash ?? "<null>", e.ContentHash ?? "<null>",
            e.IngestedAt ?? "<null>", e.KeyId ?? "<null>", e.PublicKey ?? "<null>", e.Signature ?? "<null>", e.PreviousChainHash ?? "<null>",
            e.ChainHash ?? "<null>", e.Timestamp ?? "<null>",
            e.AdditionalProperties is { } extra ? string.Join(",", extra.Select(p => p.Key + "=" + p.Value.GetRawText())) : "<none>");
}
