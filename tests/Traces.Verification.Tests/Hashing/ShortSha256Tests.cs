using System.Security.Cryptography;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;

namespace Traces.Verification.Tests.Hashing;

/// <summary>
/// The verifier's SHA-256 (OpenSSL's low-level functions on Linux, else libsodium or .NET's) must be .NET's SHA-256, at
/// every length around the block edges, and across the pieces a long input is fed in.
/// </summary>
public class ShortSha256Tests
{
    [Fact]
    public void Hash_EveryLengthUpTo300_IsSha256()
    {
        var data = new byte[300];
        new Random(20261202).NextBytes(data);
        Span<byte> ours = stackalloc byte[Digest.Length];
        Span<byte> fallback = stackalloc byte[Digest.Length];
        Span<byte> reference = stackalloc byte[Digest.Length];
        for (var length = 0; length <= data.Length; length++)
        {
            ShortSha256.Hash(data.AsSpan(0, length), ours);
            ShortSha256.Fallback(data.AsSpan(0, length), fallback);
            SHA256.HashData(data.AsSpan(0, length), reference);
            Assert.True(ours.SequenceEqual(reference), $"length {length}");
            Assert.True(fallback.SequenceEqual(reference), $"fallback, length {length}");
        }
    }

    [Theory]
    [InlineData(16 * 1024 - 1)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(3 * 16 * 1024 + 77)]
    public void Hash_LongInput_FedInPieces_IsSha256(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Span<byte> ours = stackalloc byte[Digest.Length];
        ShortSha256.Hash(data, ours);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(ours));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), Digest.Compute(data).ToString()["sha256:".Length..]);
    }

    [Fact]
    public void Hash_EmptyInput_IsTheKnownDigest()
    {
        Span<byte> hash = stackalloc byte[Digest.Length];
        ShortSha256.Hash([], hash);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(hash));
    }

    /// <summary>FIPS 180-4 examples (NIST): one block and two blocks.</summary>
    [Fact]
    public void Hash_NistExamples_AreTheKnownDigests()
    {
        Span<byte> hash = stackalloc byte[Digest.Length];
        ShortSha256.Hash("abc"u8, hash);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(hash));
        ShortSha256.Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"u8, hash);
        Assert.Equal("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// On Linux with OpenSSL 3 (the CI's and this repository's machines) the low-level path is the one in use. Whether
    /// OpenSSL 3 is there is asked of the same loader, by the same name, as ShortSha256's own import: on any CPU.
    /// </summary>
    [Fact]
    public void UsesNative_OnLinuxWithOpenSsl3()
    {
        var expected = false;
        if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.NativeLibrary.TryLoad("libcrypto.so.3", out var library))
        {
            System.Runtime.InteropServices.NativeLibrary.Free(library);
            expected = true;
        }

        if (expected)
        {
            Assert.True(ShortSha256.UsesNative);
        }
    }

    /// <summary>RFC 9162 leaf and node hashes against the hash written out by hand.</summary>
    [Fact]
    public void LeafAndNodeHash_AreSha256OfThePrefixedInput()
    {
        var left = Digest.Compute("left"u8);
        var right = Digest.Compute("right"u8);
        Assert.Equal(Digest.FromBytes(SHA256.HashData([0x00, .. left.Bytes])), MerkleTree.LeafHash(left.Bytes));
        Assert.Equal(Digest.FromBytes(SHA256.HashData([0x01, .. left.Bytes, .. right.Bytes])), MerkleTree.NodeHash(left, right));
    }
}
