using System.Security.Cryptography;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;

namespace Traces.Verification.Tests.Merkle;

public class MerkleTreeTests
{
    /// <summary>The 8 standard leaves of transparency-dev/merkle testonly (tests/vectors/merkle/SOURCE.md).</summary>
    internal static readonly byte[][] StandardLeaves =
    [
        [],
        Convert.FromHexString("00"),
        Convert.FromHexString("10"),
        Convert.FromHexString("2021"),
        Convert.FromHexString("3031"),
        Convert.FromHexString("40414243"),
        Convert.FromHexString("5051525354555657"),
        Convert.FromHexString("606162636465666768696a6b6c6d6e6f"),
    ];

    internal static Digest[] StandardLeafHashes => [.. StandardLeaves.Select(l => MerkleTree.LeafHash(l))];

    internal static Digest H(string hex) => Digest.FromBytes(Convert.FromHexString(hex));

    public static TheoryData<int, string> PrefixRoots => new()
    {
        { 1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d" },
        { 2, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" },
        { 3, "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77" },
        { 4, "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" },
        { 5, "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4" },
        { 6, "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef" },
        { 7, "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c" },
        { 8, "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328" },
    };

    [Fact]
    public void RootHash_OfTheEightStandardLeaves_IsTheKnownRoot() =>
        Assert.Equal("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", MerkleTree.RootHash(StandardLeafHashes).ToHex());

    [Theory]
    [MemberData(nameof(PrefixRoots))]
    public void RootHash_OfEachPrefixOfTheStandardLeaves_IsTheKnownRoot(int size, string expectedHex)
    {
        var leaves = StandardLeafHashes[..size];

        Assert.Equal(expectedHex, MerkleTree.RootHash(leaves).ToHex());
        Assert.Equal(expectedHex, MerkleTree.RootHash((IReadOnlyList<Digest>)leaves.ToList()).ToHex());
        Assert.Equal(expectedHex, MerkleTree.RootHash(leaves.AsSpan()).ToHex());
    }

    [Fact]
    public void RootHash_OfNoLeaves_IsTheSha256OfNothing()
    {
        const string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        Assert.Equal(empty, MerkleTree.RootHash(Array.Empty<Digest>()).ToHex());
        Assert.Equal(empty, MerkleTree.RootHash(ReadOnlySpan<Digest>.Empty).ToHex());
        Assert.Equal(empty, MerkleTree.EmptyRoot.ToHex());
    }

    [Fact]
    public void RootHash_OfOneLeaf_IsThatLeafHash()
    {
        var leaf = MerkleTree.LeafHash("data"u8);
        Assert.Equal(leaf, MerkleTree.RootHash([leaf]));
    }

    [Fact]
    public void LeafHash_IsSha256OfZeroPrefixAndData()
    {
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", MerkleTree.LeafHash([]).ToHex());
        Assert.Equal("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", MerkleTree.LeafHash([0x00]).ToHex());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([0x00, 0x61, 0x62])), MerkleTree.LeafHash("ab"u8).ToHex());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(10_000)]
    public void LeafHash_IntoASpan_MatchesTheDigestFormForAnyLength(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        Span<byte> destination = stackalloc byte[Digest.Length];

        MerkleTree.LeafHash(data, destination);

        Assert.Equal(SHA256.HashData([0x00, .. data]), destination.ToArray());
        Assert.Equal(MerkleTree.LeafHash(data).ToHex(), Convert.ToHexStringLower(destination));
    }

    [Fact]
    public void NodeHash_IsSha256OfOnePrefixAndChildren()
    {
        var left = MerkleTree.LeafHash([]);
        var right = MerkleTree.LeafHash([0x00]);

        Assert.Equal("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", MerkleTree.NodeHash(left, right).ToHex());
        Assert.Equal(SHA256.HashData([0x01, .. left.Bytes, .. right.Bytes]), MerkleTree.NodeHash(left, right).Bytes.ToArray());
    }

    [Fact]
    public void NodeHash_IntoASpanOverlappingAnInput_GivesTheSameHash()
    {
        var left = MerkleTree.LeafHash([]);
        var right = MerkleTree.LeafHash([0x00]);
        Span<byte> buffer = stackalloc byte[Digest.Length];
        right.Bytes.CopyTo(buffer);

        MerkleTree.NodeHash(left.Bytes, buffer, buffer);

        Assert.Equal("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125", Convert.ToHexStringLower(buffer));
    }

    [Fact]
    public void NodeHash_WithAChildOfTheWrongLength_Throws()
    {
        var output = new byte[Digest.Length];
        Assert.Throws<ArgumentException>(() => MerkleTree.NodeHash(new byte[31], new byte[32], output));
        Assert.Throws<ArgumentException>(() => MerkleTree.NodeHash(new byte[32], new byte[32], new byte[31]));
    }

    [Fact]
    public void LeafHash_IsDomainSeparatedFromNodeHash()
    {
        // The second-preimage defence of RFC 9162 §2.1.1: a leaf whose data is two child hashes is not that node.
        var left = MerkleTree.LeafHash([]);
        var right = MerkleTree.LeafHash([0x00]);
        Assert.NotEqual(MerkleTree.NodeHash(left, right), MerkleTree.LeafHash([.. left.Bytes, .. right.Bytes]));
    }

    // Known proofs from transparency-dev/merkle proof/verify_test.go (its leaf numbers are 1-based).
    public static TheoryData<int, int, string[]> KnownInclusionProofs => new()
    {
        { 0, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 5, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
        { 1, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 0, 1, [] },
    };

    public static TheoryData<int, int, string[]> KnownConsistencyProofs => new()
    {
        { 1, 1, [] },
        { 1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
        { 6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
        { 2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
        { 6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
    };

    [Theory]
    [MemberData(nameof(KnownInclusionProofs))]
    public void InclusionProof_OverTheStandardLeaves_IsTheKnownPath(int index, int size, string[] expectedHex)
    {
        var proof = MerkleTree.InclusionProof(StandardLeafHashes[..size], index);

        Assert.Equal(expectedHex, proof.Select(d => d.ToHex()));
    }

    [Theory]
    [MemberData(nameof(KnownConsistencyProofs))]
    public void ConsistencyProof_OverTheStandardLeaves_IsTheKnownProof(int size1, int size2, string[] expectedHex)
    {
        var proof = MerkleTree.ConsistencyProof(StandardLeafHashes[..size2], size1);

        Assert.Equal(expectedHex, proof.Select(d => d.ToHex()));
    }

    [Theory]
    [InlineData(-1, 8)]
    [InlineData(8, 8)]
    [InlineData(0, 0)]
    public void InclusionProof_ForAnIndexOutsideTheTree_Throws(long index, int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.InclusionProof(StandardLeafHashes[..size], index));

    [Theory]
    [InlineData(0, 8)]
    [InlineData(9, 8)]
    [InlineData(-1, 8)]
    public void ConsistencyProof_ForAFirstSizeOutsideOneToN_Throws(long size1, int size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleTree.ConsistencyProof(StandardLeafHashes[..size], size1));

    [Fact]
    public void NullLeafLists_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => MerkleTree.RootHash((IReadOnlyList<Digest>)null!));
        Assert.Throws<ArgumentNullException>(() => MerkleTree.InclusionProof(null!, 0));
        Assert.Throws<ArgumentNullException>(() => MerkleTree.ConsistencyProof(null!, 1));
    }
}
