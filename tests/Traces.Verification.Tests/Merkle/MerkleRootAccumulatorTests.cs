using Traces.Verification.Hashing;
using Traces.Verification.Merkle;

namespace Traces.Verification.Tests.Merkle;

public class MerkleRootAccumulatorTests
{
    internal static Digest[] RandomLeafHashes(int count, int seed)
    {
        var random = new Random(seed);
        var data = new byte[Digest.Length];
        var leaves = new Digest[count];
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(data);
            leaves[i] = MerkleTree.LeafHash(data);
        }

        return leaves;
    }

    [Fact]
    public void ComputeRoot_OfNoLeaves_IsTheSha256OfNothing()
    {
        var accumulator = new MerkleRootAccumulator();

        Assert.Equal(0, accumulator.Count);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", accumulator.ComputeRoot().ToHex());
    }

    [Theory]
    [MemberData(nameof(MerkleTreeTests.PrefixRoots), MemberType = typeof(MerkleTreeTests))]
    public void ComputeRoot_AfterEachStandardLeaf_IsTheKnownRoot(int size, string expectedHex)
    {
        var accumulator = new MerkleRootAccumulator();
        foreach (var leaf in MerkleTreeTests.StandardLeaves[..size])
        {
            accumulator.AppendLeaf(leaf);
        }

        Assert.Equal(size, accumulator.Count);
        Assert.Equal(expectedHex, accumulator.ComputeRoot().ToHex());
    }

    [Fact]
    public void ComputeRoot_ForEverySizeUpTo300_EqualsRootHash()
    {
        var leaves = RandomLeafHashes(300, seed: 9162);
        var accumulator = new MerkleRootAccumulator();

        for (var n = 0; n <= leaves.Length; n++)
        {
            // ComputeRoot in the middle of the stream must not disturb the state.
            Assert.Equal(MerkleTree.RootHash(leaves.AsSpan(0, n)), accumulator.ComputeRoot());
            Assert.Equal(MerkleTree.RootHash(leaves.AsSpan(0, n)), accumulator.ComputeRoot());
            if (n < leaves.Length)
            {
                accumulator.Append(leaves[n]);
            }
        }

        Assert.Equal(300, accumulator.Count);
    }

    [Theory]
    [InlineData(1_024)]
    [InlineData(65_537)]
    [InlineData(1_000_003)]
    public void ComputeRoot_ForALargeTree_EqualsRootHash(int count)
    {
        var leaves = RandomLeafHashes(count, seed: count);
        var accumulator = new MerkleRootAccumulator();
        foreach (var leaf in leaves)
        {
            accumulator.Append(leaf);
        }

        Assert.Equal(MerkleTree.RootHash(leaves), accumulator.ComputeRoot());
    }

    [Fact]
    public void Append_DoesNotAllocate()
    {
        var accumulator = new MerkleRootAccumulator();
        Span<byte> leaf = stackalloc byte[Digest.Length];
        Span<byte> root = stackalloc byte[Digest.Length];
        var digest = MerkleTree.LeafHash([1, 2, 3]);
        accumulator.Append(leaf);
        accumulator.Append(digest);
        accumulator.AppendLeaf(leaf);
        accumulator.ComputeRoot(root);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            leaf[0] = (byte)i;
            accumulator.Append(leaf);
            accumulator.Append(digest);
            accumulator.AppendLeaf(leaf);
        }

        accumulator.ComputeRoot(root);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(300_003, accumulator.Count);
    }

    [Fact]
    public void Append_OfAHashOfTheWrongLength_Throws() =>
        Assert.Throws<ArgumentException>(() => new MerkleRootAccumulator().Append(new byte[31]));

    [Fact]
    public void Reset_ReturnsToTheEmptyTree()
    {
        var accumulator = new MerkleRootAccumulator();
        foreach (var leaf in MerkleTreeTests.StandardLeafHashes)
        {
            accumulator.Append(leaf);
        }

        accumulator.Reset();
        Assert.Equal(MerkleTree.EmptyRoot, accumulator.ComputeRoot());
        accumulator.Append(MerkleTreeTests.StandardLeafHashes[0]);
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", accumulator.ComputeRoot().ToHex());
    }
}
