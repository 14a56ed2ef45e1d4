using System.Security.Cryptography;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;

namespace Traces.Verification.Tests.Hashing;

/// <summary>libsodium's SHA-256 for short inputs must be .NET's SHA-256, at every length around the block edges.</summary>
public class ShortSha256Tests
{
    [Fact]
    public void Hash_EveryLengthUpTo200_IsSha256()
    {
        var data = new byte[200];
        new Random(20261202).NextBytes(data);
        Span<byte> ours = stackalloc byte[Digest.Length];
        Span<byte> reference = stackalloc byte[Digest.Length];
        for (var length = 0; length <= data.Length; length++)
        {
            ShortSha256.Hash(data.AsSpan(0, length), ours);
            SHA256.HashData(data.AsSpan(0, length), reference);
            Assert.True(ours.SequenceEqual(reference), $"length {length}");
        }
    }

    [Fact]
    public void Hash_EmptyInput_IsTheKnownDigest()
    {
        Span<byte> hash = stackalloc byte[Digest.Length];
        ShortSha256.Hash([], hash);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(hash));
    }

    /// <summary>RFC 9162 leaf and node hashes, now through libsodium, against the hash written out by hand.</summary>
    [Fact]
    public void LeafAndNodeHash_AreSha256OfThePrefixedInput()
    {
        var left = Digest.Compute("left"u8);
        var right = Digest.Compute("right"u8);
        Assert.Equal(Digest.FromBytes(SHA256.HashData([0x00, .. left.Bytes])), MerkleTree.LeafHash(left.Bytes));
        Assert.Equal(Digest.FromBytes(SHA256.HashData([0x01, .. left.Bytes, .. right.Bytes])), MerkleTree.NodeHash(left, right));
    }
}
