using System.Text;
using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;

namespace Traces.Verification.Tests.Bundles;

/// <summary>
/// The stream reader reuses the strings of the entry before (<c>key_id</c>, <c>public_key</c>, and the <c>chain_hash</c>
/// that the next <c>previous_chain_hash</c> repeats): whatever the input, an entry read with reuse must be the entry read
/// without it.
/// </summary>
public class RecentStringsTests
{
    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string Digest = "sha256:" + Hex64;
    private const string OtherDigest = "sha256:f123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void TryRead_ASignedTrace_ReusesTheStringsAndReadsTheSameEntries()
    {
        var bundle = TestTraceSigner.Default.CreateBundle("tr_recent01", TestTraceSigner.SampleEntries(6));
        var entries = bundle.Events!.Select(e => JsonSerializer.SerializeToUtf8Bytes(e, TracesJsonContext.Default.BundleEntry)).ToList();

        var recent = new BundleEntryFastReader.RecentStrings();
        AssertSameAsWithoutReuse(entries, recent);

        // From the second entry on: key_id, public_key (when carried) and previous_chain_hash are the strings before.
        var carried = bundle.Events!.Count(e => e.PublicKey is not null) > 1 ? 1 : 0;
        Assert.Equal((entries.Count - 1) * (2 + carried), recent.Reused);
    }

    [Fact]
    public void TryRead_ReusedStrings_AreTheSameObjects()
    {
        var recent = new BundleEntryFastReader.RecentStrings();
        var first = Read(Entry(keyId: Digest, chain: OtherDigest, previous: "null"), recent);
        var second = Read(Entry(keyId: Digest, chain: Digest, previous: Q(OtherDigest)), recent);

        Assert.Same(first.KeyId, second.KeyId);
        Assert.Same(first.ChainHash, second.PreviousChainHash);
    }

    /// <summary>Edge inputs, each after an entry whose strings could be (wrongly) reused.</summary>
    [Theory]
    [InlineData("\"sha256:\\u0030123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"")] // escaped: the same characters
    [InlineData("\"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef\"")] // uppercase hex
    [InlineData("\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\"")] // one digit short
    [InlineData("\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0\"")] // one digit long
    [InlineData("\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\\ud800\"")] // lone surrogate: no string
    [InlineData("\"\"")]
    [InlineData("null")]
    [InlineData("1.0")]
    [InlineData("1e2")]
    [InlineData("{\"a\":1}")]
    public void TryRead_EdgeValues_ReadAsWithoutReuse(string value)
    {
        var entries = new List<byte[]>
        {
            Entry(keyId: Digest, chain: Digest, previous: "null", publicKey: Q("ed25519_pk:" + Hex64)),
            Entry(keyId: value, chain: value, previous: value, publicKey: value),
            Entry(keyId: Digest, chain: Digest, previous: Q(Digest), publicKey: Q("ed25519_pk:" + Hex64)),
            Entry(keyId: Digest, chain: Digest, previous: value, publicKey: value),
            Entry(keyId: value, chain: OtherDigest, previous: Q(Digest), publicKey: "null"),
        };

        AssertSameAsWithoutReuse(entries, new BundleEntryFastReader.RecentStrings());
    }

    /// <summary>A member written twice: the last value is used, and the last chain_hash is the one the next entry may repeat.</summary>
    [Fact]
    public void TryRead_DuplicateChainHash_TheLastValueIsRemembered()
    {
        var twice = Encoding.UTF8.GetBytes(
            $"{{\"chain_hash\":{Q(Digest)},\"key_id\":{Q(Digest)},\"previous_chain_hash\":null,\"chain_hash\":\"sha256:\\u0066123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\",\"key_id\":{Q(OtherDigest)}}}");
        var entries = new List<byte[]>
        {
            twice,
            Entry(keyId: Q(OtherDigest), chain: Digest, previous: Q(Digest)),
            Entry(keyId: Q(OtherDigest), chain: Digest, previous: Q(OtherDigest)),
            twice,
            Entry(keyId: Q(Digest), chain: Digest, previous: Q(OtherDigest)),
        };

        AssertSameAsWithoutReuse(entries, new BundleEntryFastReader.RecentStrings());
    }

    /// <summary>Invalid UTF-8 has no string: it is read as missing with or without reuse (the stream rejects it before).</summary>
    [Fact]
    public void TryRead_InvalidUtf8_ReadsAsWithoutReuse()
    {
        var invalid = Encoding.UTF8.GetBytes("{\"key_id\":\"sha256:\u00ff\",\"previous_chain_hash\":\"x\",\"chain_hash\":\"y\"}");
        // U+00FF's two bytes become an overlong encoding of U+0000 (C0 80), which is not UTF-8.
        var at = Array.IndexOf(invalid, (byte)0xC3);
        invalid[at] = 0xC0;
        invalid[at + 1] = 0x80;
        var entries = new List<byte[]>
        {
            Entry(keyId: Q(Digest), chain: Digest, previous: "null"),
            invalid,
            invalid,
            Entry(keyId: Q(Digest), chain: Digest, previous: Q(Digest)),
        };

        AssertSameAsWithoutReuse(entries, new BundleEntryFastReader.RecentStrings());
    }

    private static void AssertSameAsWithoutReuse(IReadOnlyList<byte[]> entries, BundleEntryFastReader.RecentStrings recent)
    {
        foreach (var json in entries)
        {
            var withReuse = BundleEntryFastReader.TryRead(json, 64, chained: true, out var reused, out var reusedForm, out var reusedDuplicate, recent);
            var without = BundleEntryFastReader.TryRead(json, 64, chained: true, out var plain, out var plainForm, out var plainDuplicate);
            Assert.Equal(without, withReuse);
            Assert.Equal(plainForm, reusedForm);
            Assert.Equal(plainDuplicate, reusedDuplicate);
            Assert.Equal(OnePassEntryTests.Serialize(plain), OnePassEntryTests.Serialize(reused));
        }
    }

    private static BundleEntry Read(byte[] json, BundleEntryFastReader.RecentStrings recent)
    {
        Assert.True(BundleEntryFastReader.TryRead(json, 64, chained: true, out var entry, out _, out _, recent));
        return (BundleEntry)entry!;
    }

    private static byte[] Entry(string keyId, string chain, string previous, string? publicKey = null) => Encoding.UTF8.GetBytes(
        $"{{\"index\":0,\"key_id\":{AsValue(keyId)},{(publicKey is null ? "" : $"\"public_key\":{publicKey},")}\"previous_chain_hash\":{previous},\"chain_hash\":{AsValue(chain)}}}");

    // A digest given bare is quoted; anything else is already a JSON value.
    private static string AsValue(string value) => value.StartsWith("sha256:", StringComparison.Ordinal) ? Q(value) : value;

    private static string Q(string text) => "\"" + text + "\"";
}
