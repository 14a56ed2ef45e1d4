using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;

namespace Traces.Verification.Tests.Merkle;

public class MerkleProofsTests
{
    private static readonly Digest[] s_leaves = MerkleRootAccumulatorTests.RandomLeafHashes(64, seed: 6962);

    public static TheoryData<int> Sizes1To64 => new(Enumerable.Range(1, 64));

    private static Digest FlipBit(Digest digest, int bit)
    {
        var bytes = digest.Bytes.ToArray();
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        return Digest.FromBytes(bytes);
    }

    private static Digest[] Replace(IReadOnlyList<Digest> proof, int index, Digest value)
    {
        var copy = proof.ToArray();
        copy[index] = value;
        return copy;
    }

    [Theory]
    [MemberData(nameof(Sizes1To64))]
    public void GeneratedInclusionProofs_VerifyForEveryIndex_AndAnyTamperingFails(int size)
    {
        var leaves = s_leaves[..size];
        var root = MerkleTree.RootHash(leaves);

        for (var index = 0; index < size; index++)
        {
            var proof = MerkleTree.InclusionProof(leaves, index);
            var leaf = leaves[index];

            Assert.True(MerkleProofs.VerifyInclusion(index, size, leaf, proof, root).IsValid, $"{index}/{size}");
            Assert.Equal(MerkleProofs.InclusionProofSize(index, size), proof.Count);
            Assert.True(MerkleProofs.RootFromInclusionProof(index, size, leaf, proof, out var computed).IsValid);
            Assert.Equal(root, computed);

            for (var i = 0; i < proof.Count; i++)
            {
                foreach (var bit in new[] { 0, 7, 128, 255 })
                {
                    Assert.Equal(
                        MerkleProofFailure.RootMismatch,
                        MerkleProofs.VerifyInclusion(index, size, leaf, Replace(proof, i, FlipBit(proof[i], bit)), root).Failure);
                }
            }

            Assert.False(MerkleProofs.VerifyInclusion(index, size, FlipBit(leaf, 3), proof, root).IsValid);
            Assert.False(MerkleProofs.VerifyInclusion(index, size, leaf, proof, FlipBit(root, 200)).IsValid);

            // Another leaf's position or another tree's shape must not verify.
            for (var other = -1; other <= size; other++)
            {
                if (other != index)
                {
                    Assert.False(MerkleProofs.VerifyInclusion(other, size, leaf, proof, root).IsValid, $"index {other} for {index}/{size}");
                }
            }

            foreach (var otherSize in new[] { 0, index, size * 2, size / 2, (long)size << 40 })
            {
                if (otherSize != size)
                {
                    Assert.False(MerkleProofs.VerifyInclusion(index, otherSize, leaf, proof, root).IsValid, $"size {otherSize} for {index}/{size}");
                }
            }

            // Extra or missing hashes are a wrong proof size, never an exception.
            Assert.Equal(MerkleProofFailure.WrongProofSize, MerkleProofs.VerifyInclusion(index, size, leaf, [.. proof, root], root).Failure);
            Assert.Equal(MerkleProofFailure.WrongProofSize, MerkleProofs.VerifyInclusion(index, size, leaf, [root, .. proof], root).Failure);
            if (proof.Count > 0)
            {
                Assert.Equal(MerkleProofFailure.WrongProofSize, MerkleProofs.VerifyInclusion(index, size, leaf, proof.Take(proof.Count - 1).ToArray(), root).Failure);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes1To64))]
    public void GeneratedConsistencyProofs_VerifyForEveryFirstSize_AndAnyTamperingFails(int size2)
    {
        var root2 = MerkleTree.RootHash(s_leaves[..size2]);

        for (var size1 = 1; size1 <= size2; size1++)
        {
            var root1 = MerkleTree.RootHash(s_leaves[..size1]);
            var proof = MerkleTree.ConsistencyProof(s_leaves[..size2], size1);

            Assert.True(MerkleProofs.VerifyConsistency(size1, size2, proof, root1, root2).IsValid, $"{size1}->{size2}");
            Assert.Equal(MerkleProofs.ConsistencyProofSize(size1, size2), proof.Count);
            Assert.True(MerkleProofs.RootFromConsistencyProof(size1, size2, proof, root1, out var computed).IsValid);
            Assert.Equal(root2, computed);

            for (var i = 0; i < proof.Count; i++)
            {
                foreach (var bit in new[] { 4, 100, 255 })
                {
                    Assert.False(
                        MerkleProofs.VerifyConsistency(size1, size2, Replace(proof, i, FlipBit(proof[i], bit)), root1, root2).IsValid,
                        $"bit {bit} of proof[{i}] for {size1}->{size2}");
                }
            }

            Assert.Equal(MerkleProofFailure.RootMismatch, MerkleProofs.VerifyConsistency(size1, size2, proof, FlipBit(root1, 0), root2).Failure);
            Assert.Equal(MerkleProofFailure.RootMismatch, MerkleProofs.VerifyConsistency(size1, size2, proof, root1, FlipBit(root2, 0)).Failure);

            foreach (var (s1, s2) in new (long, long)[] { (size1 - 1, size2), (size1 + 1, size2), (size1 ^ 2, size2), (size1, size2 * 2), (size1, size2 / 2) })
            {
                if ((s1, s2) != (size1, size2))
                {
                    Assert.False(MerkleProofs.VerifyConsistency(s1, s2, proof, root1, root2).IsValid, $"{s1}->{s2} with the proof for {size1}->{size2}");
                }
            }

            if (size1 < size2)
            {
                Assert.False(MerkleProofs.VerifyConsistency(size1, size2, proof, root2, root1).IsValid);
                Assert.Equal(MerkleProofFailure.WrongProofSize, MerkleProofs.VerifyConsistency(size1, size2, [], root1, root2).Failure);
                Assert.Equal(MerkleProofFailure.WrongProofSize, MerkleProofs.VerifyConsistency(size1, size2, [.. proof, root1], root1, root2).Failure);
            }
            else
            {
                Assert.Equal(MerkleProofFailure.NonEmptyProofForEqualSizes, MerkleProofs.VerifyConsistency(size1, size2, [root1], root1, root2).Failure);
            }
        }
    }

    [Fact]
    public void VerifyInclusion_WithAProofElementOfTheWrongLength_IsMalformedAtThatPosition()
    {
        var leaves = s_leaves[..8];
        var proof = MerkleTree.InclusionProof(leaves, 3).Select(d => (ReadOnlyMemory<byte>)d.Bytes.ToArray()).ToArray();
        proof[1] = proof[1][..31];

        var result = MerkleProofs.VerifyInclusion(3, 8, leaves[3].Bytes, proof, MerkleTree.RootHash(leaves).Bytes);

        Assert.False(result.IsValid);
        Assert.Equal(MerkleProofFailure.MalformedHash, result.Failure);
        Assert.Equal("malformed_hash", result.Code);
        Assert.Equal(1, result.ProofIndex);
    }

    [Fact]
    public void VerifyConsistency_WithAProofElementOfTheWrongLength_IsMalformed()
    {
        var proof = MerkleTree.ConsistencyProof(s_leaves[..8], 3).Select(d => (ReadOnlyMemory<byte>)d.Bytes.ToArray()).ToArray();
        proof[^1] = new byte[33];

        var result = MerkleProofs.VerifyConsistency(3, 8, proof, MerkleTree.RootHash(s_leaves[..3]).Bytes, MerkleTree.RootHash(s_leaves[..8]).Bytes);

        Assert.Equal(MerkleProofFailure.MalformedHash, result.Failure);
        Assert.Equal(proof.Length - 1, result.ProofIndex);
    }

    [Theory]
    [InlineData(0, 0, MerkleProofFailure.IndexOutOfRange)]
    [InlineData(-1, 5, MerkleProofFailure.IndexOutOfRange)]
    [InlineData(long.MaxValue, 5, MerkleProofFailure.IndexOutOfRange)]
    [InlineData(0, -1, MerkleProofFailure.InvalidSizes)]
    public void VerifyInclusion_WithImpossibleIndexOrSize_IsInvalidNotAnException(long index, long size, MerkleProofFailure expected)
    {
        var result = MerkleProofs.VerifyInclusion(index, size, s_leaves[0], [], s_leaves[0]);

        Assert.Equal(expected, result.Failure);
        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData(0, 0, "invalid_sizes")]
    [InlineData(0, 5, "invalid_sizes")]
    [InlineData(-1, 5, "invalid_sizes")]
    [InlineData(3, -1, "invalid_sizes")]
    [InlineData(5, 3, "invalid_sizes")]
    [InlineData(3, 5, "wrong_proof_size")]
    public void VerifyConsistency_WithImpossibleSizes_IsInvalidNotAnException(long size1, long size2, string expectedCode) =>
        Assert.Equal(expectedCode, MerkleProofs.VerifyConsistency(size1, size2, [], s_leaves[0], s_leaves[0]).Code);

    [Fact]
    public void VerifyConsistency_OfEqualSizesAndRoots_IsValid() =>
        Assert.True(MerkleProofs.VerifyConsistency(5, 5, [], s_leaves[1], s_leaves[1]).IsValid);

    [Fact]
    public void NullProofs_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => MerkleProofs.VerifyInclusion(0, 1, s_leaves[0], null!, s_leaves[0]));
        Assert.Throws<ArgumentNullException>(() => MerkleProofs.VerifyConsistency(1, 2, (IReadOnlyList<Digest>)null!, s_leaves[0], s_leaves[0]));
        Assert.Throws<ArgumentNullException>(() => MerkleProofs.VerifyConsistency(1, 2, (IReadOnlyList<ReadOnlyMemory<byte>>)null!, s_leaves[0].Bytes, s_leaves[0].Bytes));
    }

    [Fact]
    public void ValidResult_HasCodeValid()
    {
        Assert.True(MerkleProofResult.Valid.IsValid);
        Assert.Equal("valid", MerkleProofResult.Valid.Code);
        Assert.Equal(MerkleProofFailure.None, MerkleProofResult.Valid.Failure);
    }

    [Theory]
    [InlineData(MerkleProofFailure.IndexOutOfRange, "index_out_of_range")]
    [InlineData(MerkleProofFailure.InvalidSizes, "invalid_sizes")]
    [InlineData(MerkleProofFailure.WrongProofSize, "wrong_proof_size")]
    [InlineData(MerkleProofFailure.MalformedHash, "malformed_hash")]
    [InlineData(MerkleProofFailure.NonEmptyProofForEqualSizes, "non_empty_proof_for_equal_sizes")]
    [InlineData(MerkleProofFailure.RootMismatch, "root_mismatch")]
    public void Codes_AreStable(MerkleProofFailure failure, string code) => Assert.Equal(code, MerkleProofResult.CodeOf(failure));

    // Random trees far beyond 64 leaves: the generated proof verifies and the next index does not.
    [Property(MaxTest = 60)]
    public Property InclusionProof_ForARandomTreeAndIndex_Verifies() =>
        Prop.ForAll(
            Gen.Choose(1, 3000).SelectMany(n => Gen.Choose(0, n - 1).Select(i => (n, i))).ToArbitrary(),
            t =>
            {
                var (n, i) = t;
                var leaves = MerkleRootAccumulatorTests.RandomLeafHashes(n, seed: n);
                var root = MerkleTree.RootHash(leaves);
                var proof = MerkleTree.InclusionProof(leaves, i);
                return MerkleProofs.VerifyInclusion(i, n, leaves[i], proof, root).IsValid
                    && !MerkleProofs.VerifyInclusion((i + 1) % n == i ? i + 1 : (i + 1) % n, n, leaves[i], proof, root).IsValid;
            });

    [Property(MaxTest = 60)]
    public Property ConsistencyProof_ForRandomSizes_Verifies() =>
        Prop.ForAll(
            Gen.Choose(1, 3000).SelectMany(n => Gen.Choose(1, n).Select(m => (m, n))).ToArbitrary(),
            t =>
            {
                var (m, n) = t;
                var leaves = MerkleRootAccumulatorTests.RandomLeafHashes(n, seed: n);
                var proof = MerkleTree.ConsistencyProof(leaves, m);
                var root1 = MerkleTree.RootHash(leaves.AsSpan(0, m));
                var root2 = MerkleTree.RootHash(leaves);
                return MerkleProofs.VerifyConsistency(m, n, proof, root1, root2).IsValid
                    && proof.Count == MerkleProofs.ConsistencyProofSize(m, n)
                    && (m == n || !MerkleProofs.VerifyConsistency(m, n, proof, root2, root1).IsValid);
            });
}
