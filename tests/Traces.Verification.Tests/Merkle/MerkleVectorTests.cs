using Traces.Verification.Hashing;
using Traces.Verification.Merkle;

namespace Traces.Verification.Tests.Merkle;

/// <summary>Every transparency-dev/merkle test vector: a proof verifies exactly when the case does not want an error.</summary>
public class MerkleVectorTests
{
    public static TheoryData<string> InclusionCases => MerkleVectors.CasesBelow(MerkleVectors.InclusionRoot);

    public static TheoryData<string> ConsistencyCases => MerkleVectors.CasesBelow(MerkleVectors.ConsistencyRoot);

    [Fact]
    public void Vectors_AreAllFound() =>
        Assert.Equal((98, 98), (InclusionCases.Count, ConsistencyCases.Count));

    [Theory]
    [MemberData(nameof(InclusionCases))]
    public void VerifyInclusion_AcceptsExactlyTheCasesWithoutWantErr(string relativePath)
    {
        var v = MerkleVectors.LoadInclusion(relativePath);

        var result = MerkleProofs.VerifyInclusion(v.LeafIndex, v.TreeSize, v.LeafHash, MerkleVectors.Memory(v.Proof), v.Root);

        Assert.True(result.IsValid == !v.WantErr, $"{v.Desc}: {result}");
        Assert.Equal(result.IsValid, result.Failure == MerkleProofFailure.None);

        if (MerkleVectors.AllWellFormed(v.Proof, [v.LeafHash, v.Root]))
        {
            var typed = MerkleProofs.VerifyInclusion(
                v.LeafIndex, v.TreeSize, Digest.FromBytes(v.LeafHash), MerkleVectors.Digests(v.Proof), Digest.FromBytes(v.Root));
            Assert.Equal(result.Failure, typed.Failure);
        }
        else
        {
            Assert.Contains(result.Failure, new[] { MerkleProofFailure.MalformedHash, MerkleProofFailure.IndexOutOfRange, MerkleProofFailure.WrongProofSize });
        }
    }

    [Theory]
    [MemberData(nameof(ConsistencyCases))]
    public void VerifyConsistency_AcceptsExactlyTheCasesWithoutWantErr(string relativePath)
    {
        var v = MerkleVectors.LoadConsistency(relativePath);

        var result = MerkleProofs.VerifyConsistency(v.Size1, v.Size2, MerkleVectors.Memory(v.Proof), v.Root1, v.Root2);

        Assert.True(result.IsValid == !v.WantErr, $"{v.Desc}: {result}");

        if (MerkleVectors.AllWellFormed(v.Proof, [v.Root1, v.Root2]))
        {
            var typed = MerkleProofs.VerifyConsistency(
                v.Size1, v.Size2, MerkleVectors.Digests(v.Proof), Digest.FromBytes(v.Root1), Digest.FromBytes(v.Root2));
            Assert.Equal(result.Failure, typed.Failure);
        }
    }

    [Theory]
    [InlineData("1/happy-path.json", MerkleProofFailure.None)]
    [InlineData("1/leafIdx-sub-@1.json", MerkleProofFailure.IndexOutOfRange)]
    [InlineData("0/treeSize-div-@2.json", MerkleProofFailure.IndexOutOfRange)]
    [InlineData("1/treeSize-div-@2.json", MerkleProofFailure.WrongProofSize)]
    [InlineData("1/inserted-component.json", MerkleProofFailure.WrongProofSize)]
    [InlineData("1/wrong-leaf.json", MerkleProofFailure.MalformedHash)]
    [InlineData("1/preceding-garbage.json", MerkleProofFailure.WrongProofSize)]
    [InlineData("1/modified-proof[1]-bit-@3.json", MerkleProofFailure.RootMismatch)]
    [InlineData("1/random-root.json", MerkleProofFailure.RootMismatch)]
    [InlineData("single-entry/empty-root.json", MerkleProofFailure.MalformedHash)]
    public void VerifyInclusion_ReportsAStableReason(string relativePath, MerkleProofFailure expected)
    {
        var v = MerkleVectors.LoadInclusion(relativePath);

        var result = MerkleProofs.VerifyInclusion(v.LeafIndex, v.TreeSize, v.LeafHash, MerkleVectors.Memory(v.Proof), v.Root);

        Assert.Equal(expected, result.Failure);
    }

    [Theory]
    [InlineData("1/happy-path.json", MerkleProofFailure.None)]
    [InlineData("1/wrong-root1.json", MerkleProofFailure.MalformedHash)]
    [InlineData("2/swapped-roots.json", MerkleProofFailure.RootMismatch)]
    [InlineData("2/trailing-garbage.json", MerkleProofFailure.WrongProofSize)]
    [InlineData("3/modified-proof@1-bit-@4.json", MerkleProofFailure.RootMismatch)]
    [InlineData("additional/size1-is-greater-than-size2.json", MerkleProofFailure.InvalidSizes)]
    [InlineData("additional/sizes-are-equal-zero-and-proof-is-empty.json", MerkleProofFailure.InvalidSizes)]
    [InlineData("additional/sizes-match-but-proof-is-not-empty-and-sizes-are-one.json", MerkleProofFailure.NonEmptyProofForEqualSizes)]
    [InlineData("additional/sizes-are-equal-one-but-roots-are-not.json", MerkleProofFailure.RootMismatch)]
    public void VerifyConsistency_ReportsAStableReason(string relativePath, MerkleProofFailure expected)
    {
        var v = MerkleVectors.LoadConsistency(relativePath);

        var result = MerkleProofs.VerifyConsistency(v.Size1, v.Size2, MerkleVectors.Memory(v.Proof), v.Root1, v.Root2);

        Assert.Equal(expected, result.Failure);
    }
}
