using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Canonicalization;
using Traces.Verification.Reports;
using Traces.Verification.Tests.Canonicalization;

namespace Traces.Verification.Tests.Bundles;

/// <summary>A trace of random payloads.</summary>
public sealed record RandomTrace(JsonTree[] Payloads)
{
    public ProofBundle Sign() => TestTraceSigner.Default.CreateBundle("tr_random0001",
        Payloads.Select((p, i) => new TestEntry(i % 2 == 0 ? "agent.step" : "invoice.received", p.Render(seed: i))).ToList());

    public override string ToString() => $"{Payloads.Length} entries";
}

/// <summary>Where a byte of a serialized bundle is flipped.</summary>
public sealed record ByteFlip(int Entry, string Field, int Offset, int Bit);

public static class BundleArbitraries
{
    public static Arbitrary<RandomTrace> Traces() =>
        Arb.From(Gen.Choose(1, 40).SelectMany(n => JsonArbitraries.Trees().Generator.ArrayOf(n)).Select(p => new RandomTrace(p)));

    public static Arbitrary<ByteFlip> Flips() =>
        Arb.From(
            from entry in Gen.Choose(0, 1000)
            from field in Gen.Elements(BundlePropertyTests.FlippableFields)
            from offset in Gen.Choose(0, 100_000)
            from bit in Gen.Choose(0, 7)
            select new ByteFlip(entry, field, offset, bit));
}

public class BundlePropertyTests
{
    /// <summary>Fields whose bytes a flip may hit, with the length of the prefix a flip stays clear of.</summary>
    public static readonly string[] FlippableFields =
        ["payload", "payload_hash", "content_hash", "previous_chain_hash", "chain_hash", "key_id", "public_key", "signature"];

    private static readonly BundleVerifier s_verifier = new(TestKeys.TrustBoth());

    [Property(Arbitrary = [typeof(BundleArbitraries)], MaxTest = 25)]
    public void RandomBundle_VerifiesValid_OnTypedAndStreamPaths(RandomTrace trace)
    {
        var bundle = trace.Sign();
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);

        var typed = s_verifier.Verify(bundle);
        var streamed = s_verifier.Verify(json);

        Assert.True(typed.Verdict == Verdict.Valid, string.Join("; ", typed.Findings));
        Assert.True(streamed.Verdict == Verdict.Valid, string.Join("; ", streamed.Findings));
        Assert.Equal(trace.Payloads.Length, streamed.EntryCount);
        Assert.Equal(bundle.CompositeHash, streamed.CompositeHash);
        Assert.Equal(bundle.IntegrityRootHash, typed.IntegrityRootHash);
    }

    /// <summary>
    /// A flipped bit in an entry's hex fields always gives Invalid: a digest or signature no longer matches, a
    /// public_key no longer hashes to its key_id (key_id_mismatch, never Untrusted), or the text stops being lowercase
    /// hex or JSON (malformed). In the payload it gives Invalid unless the new payload has the same RFC 8785 form
    /// (e.g. 1e5 → 1E5, or an escape's hex digit case): then the payload hash, and the verdict, rightly stay Valid.
    /// </summary>
    [Property(Arbitrary = [typeof(BundleArbitraries)], MaxTest = 40)]
    public void SingleBitFlip_InAnEntry_IsNeverValidUnlessThePayloadIsCanonicallyUnchanged(RandomTrace trace, ByteFlip flip)
    {
        var bundle = trace.Sign();
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);
        var entry = flip.Entry % bundle.Events!.Count;
        if (flip.Field == "previous_chain_hash" && entry == 0)
        {
            return; // null: no bytes to flip.
        }

        var (start, length) = ValueSpan(json, entry, flip.Field);
        var prefix = flip.Field switch
        {
            "payload" => 0,
            "public_key" => "\"ed25519_pk:".Length,
            "signature" => "\"ed25519:".Length,
            _ => "\"sha256:".Length,
        };
        var hexLength = flip.Field == "payload" ? length : length - prefix - 1;
        var at = start + prefix + flip.Offset % hexLength;
        var tampered = (byte[])json.Clone();
        tampered[at] ^= (byte)(1 << flip.Bit);

        var expected = flip.Field == "payload" && SamePayload(tampered, entry, bundle.Events[entry].Payload!.Value)
            ? Verdict.Valid
            : Verdict.Invalid;
        var report = s_verifier.Verify(tampered);

        Assert.True(expected == report.Verdict,
            $"{flip.Field} of entry {entry}, byte {at - start}: {report.Verdict}, expected {expected}. {string.Join("; ", report.Findings)}");
    }

    [Property(Arbitrary = [typeof(BundleArbitraries)], MaxTest = 25)]
    public void SwappingTwoDistinctEntries_IsNeverValid(RandomTrace trace, PositiveInt a, PositiveInt b)
    {
        var bundle = trace.Sign();
        var count = bundle.Events!.Count;
        var i = a.Get % count;
        var j = b.Get % count;
        if (count < 2 || i == j)
        {
            return;
        }

        var node = BundleJson.ToNode(bundle);
        var events = node["events"]!.AsArray();
        var first = events[i]!.DeepClone();
        events[i] = events[j]!.DeepClone();
        events[j] = first;
        var json = BundleJson.Write(node);

        var streamed = s_verifier.Verify(json);
        var typed = s_verifier.Verify(BundleJson.TryReadTyped(json)!);

        Assert.Equal(Verdict.Invalid, streamed.Verdict);
        Assert.Equal(Verdict.Invalid, typed.Verdict);
        Assert.Equal(Math.Min(i, j), streamed.FirstInvalidEntry?.EntryIndex);
        Assert.Contains(streamed.Findings, f => f.Code == FindingCodes.IndexMismatch);
    }

    private static bool SamePayload(byte[] tampered, int entry, JsonElement original)
    {
        try
        {
            using var document = JsonDocument.Parse(tampered);
            var payload = document.RootElement.GetProperty("events")[entry].GetProperty("payload");
            var before = JsonCanonicalizer.Canonicalize(original);
            var after = JsonCanonicalizer.Canonicalize(payload);
            return after.IsSuccess && before.Utf8Bytes!.AsSpan().SequenceEqual(after.Utf8Bytes);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>The byte range of the value of <paramref name="member"/> in entry <paramref name="entry"/> (strings with their quotes).</summary>
    private static (int Start, int Length) ValueSpan(byte[] json, int entry, string member)
    {
        var reader = new Utf8JsonReader(json);
        var inEvents = false;
        var item = -1;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                inEvents = reader.ValueTextEquals("events");
            }
            else if (inEvents && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject)
            {
                item++;
            }
            else if (inEvents && item == entry && reader.CurrentDepth == 3 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(member))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return (start, (int)reader.BytesConsumed - start);
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"No {member} in entry {entry}."));
    }
}
