using System.Security.Cryptography;
using System.Text;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>Independent recomputation of the proof-format hashes with nothing but SHA-256, to cross-check the server.</summary>
internal static class Sha
{
    public static byte[] Hash(params byte[][] parts) => SHA256.HashData(parts.SelectMany(p => p).ToArray());

    public static string Digest(byte[] raw) => "sha256:" + Convert.ToHexStringLower(raw);

    public static byte[] Raw(string digest) => Convert.FromHexString(digest["sha256:".Length..]);

    /// <summary>SHA-256 of a JSON text the caller has written in RFC 8785 form already.</summary>
    public static string OfCanonical(string canonicalJson) => Digest(Hash(Encoding.UTF8.GetBytes(canonicalJson)));

    public static string ContentHash(string eventId, string eventType, string ingestedAt, string payloadHash) =>
        OfCanonical($"{{\"event_id\":\"{eventId}\",\"event_type\":\"{eventType}\",\"ingested_at\":\"{ingestedAt}\",\"payload_hash\":\"{payloadHash}\",\"v\":\"traces/v1\"}}");

    public static string ChainNext(string? previous, string content) =>
        Digest(Hash(previous is null ? new byte[32] : Raw(previous), Raw(content)));

    public static byte[] Leaf(string contentDigest) => Hash([0x00], Raw(contentDigest));

    public static byte[] Node(byte[] left, byte[] right) => Hash([0x01], left, right);
}
