using System.Text.Json;
using Traces.Verification.Hashing;
using Traces.TestSupport;

namespace Traces.Verification.Tests.Merkle;

/// <summary>An inclusion case from transparency-dev/merkle testdata, hashes decoded from base64 but not length-checked.</summary>
internal sealed record InclusionVector(long LeafIndex, long TreeSize, byte[] Root, byte[] LeafHash, byte[][] Proof, string Desc, bool WantErr);

/// <summary>A consistency case from transparency-dev/merkle testdata.</summary>
internal sealed record ConsistencyVector(long Size1, long Size2, byte[] Root1, byte[] Root2, byte[][] Proof, string Desc, bool WantErr);

/// <summary>Loads <c>tests/vectors/merkle</c> by directory listing (file names contain [ ] @ +).</summary>
internal static class MerkleVectors
{
    public static string InclusionRoot => TestVectors.PathOf("merkle", "inclusion");

    public static string ConsistencyRoot => TestVectors.PathOf("merkle", "consistency");

    /// <summary>Paths of every case, relative to <paramref name="root"/>, with '/' separators, in a stable order.</summary>
    public static TheoryData<string> CasesBelow(string root) =>
        new(Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    public static InclusionVector LoadInclusion(string relativePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(InclusionRoot, relativePath)));
        var e = doc.RootElement;
        return new InclusionVector(
            Size(e.GetProperty("leafIdx")),
            Size(e.GetProperty("treeSize")),
            Bytes(e.GetProperty("root")),
            Bytes(e.GetProperty("leafHash")),
            Proof(e.GetProperty("proof")),
            e.GetProperty("desc").GetString()!,
            e.GetProperty("wantErr").GetBoolean());
    }

    public static ConsistencyVector LoadConsistency(string relativePath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ConsistencyRoot, relativePath)));
        var e = doc.RootElement;
        return new ConsistencyVector(
            Size(e.GetProperty("size1")),
            Size(e.GetProperty("size2")),
            Bytes(e.GetProperty("root1")),
            Bytes(e.GetProperty("root2")),
            Proof(e.GetProperty("proof")),
            e.GetProperty("desc").GetString()!,
            e.GetProperty("wantErr").GetBoolean());
    }

    /// <summary>Whether every hash is 32 bytes, so the case can also run through the <see cref="Digest"/> API.</summary>
    public static bool AllWellFormed(params IEnumerable<byte[]>[] groups) =>
        groups.All(g => g.All(h => h.Length == Digest.Length));

    public static Digest[] Digests(byte[][] hashes) => [.. hashes.Select(h => Digest.FromBytes(h))];

    public static ReadOnlyMemory<byte>[] Memory(byte[][] hashes) => [.. hashes.Select(h => (ReadOnlyMemory<byte>)h)];

    // The Go vectors are uint64. An index of 2^63 or more is beyond any tree a long can size, so clamping it to
    // long.MaxValue keeps the verdict (out of range) while fitting the API.
    private static long Size(JsonElement e) => (long)Math.Min(e.GetUInt64(), long.MaxValue);

    private static byte[] Bytes(JsonElement e) => Convert.FromBase64String(e.GetString()!);

    private static byte[][] Proof(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null ? [] : [.. e.EnumerateArray().Select(Bytes)];
}
