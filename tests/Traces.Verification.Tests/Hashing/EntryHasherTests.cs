using System.Text;
using System.Text.Json;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;

namespace Traces.Verification.Tests.Hashing;

public class EntryHasherTests
{
    private static readonly Digest SomePayloadHash =
        Digest.Parse("sha256:3fa4b2d1e5c6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80");

    [Fact]
    public void ContentPreimage_IsTheRfc8785FormOfTheContentObject()
    {
        // The template in EntryHasher must be exactly what a general JCS implementation produces (proof-format §4.2).
        var general = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["v"] = "traces/v1",
            ["payload_hash"] = SomePayloadHash.ToString(),
            ["ingested_at"] = "2026-03-17T12:05:00.000000Z",
            ["event_type"] = "invoice.received",
            ["event_id"] = "evt_01JD8X4M5Q7R2S3T4V5W6X7Y8Z",
        });
        var canonical = JsonCanonicalizer.Canonicalize(general);

        var template = EntryHasher.ContentPreimage("evt_01JD8X4M5Q7R2S3T4V5W6X7Y8Z", "invoice.received", "2026-03-17T12:05:00.000000Z", SomePayloadHash);

        Assert.True(canonical.IsSuccess);
        Assert.Equal(Encoding.UTF8.GetString(canonical.Utf8Bytes), Encoding.UTF8.GetString(template));
        Assert.Equal(
            "{\"event_id\":\"evt_01JD8X4M5Q7R2S3T4V5W6X7Y8Z\",\"event_type\":\"invoice.received\",\"ingested_at\":\"2026-03-17T12:05:00.000000Z\","
            + "\"payload_hash\":\"sha256:3fa4b2d1e5c6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80\",\"v\":\"traces/v1\"}",
            Encoding.UTF8.GetString(template));
    }

    [Fact]
    public void ComputePayloadHash_HashesTheCanonicalForm()
    {
        using var document = JsonDocument.Parse("{ \"b\": 2, \"a\": [1.50, \"x\"] }");
        // JCS: {"a":[1.5,"x"],"b":2}
        var expected = Digest.Compute(Encoding.UTF8.GetBytes("{\"a\":[1.5,\"x\"],\"b\":2}"));
        Assert.Equal(expected, EntryHasher.ComputePayloadHash(document.RootElement));
    }

    [Fact]
    public void TryComputePayloadHash_RejectsDuplicateNames()
    {
        using var document = JsonDocument.Parse("{\"a\":1,\"a\":2}");
        Assert.False(EntryHasher.TryComputePayloadHash(document.RootElement, out _, out var error));
        Assert.Equal(CanonicalizationErrorKind.DuplicateMemberName, error!.Kind);
        Assert.Equal("/a", error.Path);
    }

    [Theory]
    [InlineData("evt 1", "a.b", "2026-03-17T12:05:00.000000Z")]
    [InlineData("evt_1", "", "2026-03-17T12:05:00.000000Z")]
    [InlineData("evt_1", "a.b", "2026-03-17T12:05:00Z")]
    [InlineData("evt_1", "a.b", "2026-03-17T12:05:00.000000+00:00")]
    [InlineData("evt_1", "a\"b", "2026-03-17T12:05:00.000000Z")]
    public void ComputeContentHash_RejectsFieldsOutsideTheirFormats(string eventId, string eventType, string ingestedAt) =>
        Assert.Throws<ArgumentException>(() => EntryHasher.ComputeContentHash(eventId, eventType, ingestedAt, SomePayloadHash));

    [Fact]
    public void HashChain_FirstLinkHashesZeroThenContent()
    {
        var content = Digest.Compute("x"u8);
        var expected = Digest.Compute([.. new byte[32], .. content.Bytes]);
        Assert.Equal(expected, HashChain.Next(Digest.Zero, content));
        Assert.Equal(HashChain.Next(expected, content), HashChain.Root([content, content]));
    }
}
