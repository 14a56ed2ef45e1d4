namespace Traces.Verification.Merkle;

/// <summary>Why a Merkle proof was rejected. The names are stable; <see cref="MerkleProofResult.Code"/> spells them in snake_case.</summary>
public enum MerkleProofFailure
{
    /// <summary>The proof is valid.</summary>
    None = 0,

    /// <summary><c>index_out_of_range</c>: the leaf index is negative or not below the tree size (RFC 9162 §2.1.3.2 step 1).</summary>
    IndexOutOfRange,

    /// <summary><c>invalid_sizes</c>: a size is negative, the first tree is empty, or the second tree is smaller than the first (RFC 9162 §2.1.4).</summary>
    InvalidSizes,

    /// <summary><c>wrong_proof_size</c>: the proof does not have the number of hashes the sizes and index require.</summary>
    WrongProofSize,

    /// <summary><c>malformed_hash</c>: a hash (proof element, leaf hash or root) is not 32 bytes.</summary>
    MalformedHash,

    /// <summary><c>non_empty_proof_for_equal_sizes</c>: trees of equal size are consistent only through an empty proof.</summary>
    NonEmptyProofForEqualSizes,

    /// <summary><c>root_mismatch</c>: the root the proof leads to is not the expected root.</summary>
    RootMismatch,
}

/// <summary>
/// The verdict on a Merkle inclusion or consistency proof: valid, or invalid with a stable reason code and a message.
/// A bad proof is an answer, never an exception.
/// </summary>
public sealed class MerkleProofResult
{
    private MerkleProofResult(MerkleProofFailure failure, string message, int proofIndex)
    {
        Failure = failure;
        Message = message;
        ProofIndex = proofIndex;
    }

    /// <summary>The valid verdict.</summary>
    public static MerkleProofResult Valid { get; } = new(MerkleProofFailure.None, "The proof is valid.", -1);

    /// <summary>Whether the proof verified.</summary>
    public bool IsValid => Failure == MerkleProofFailure.None;

    /// <summary>Why the proof failed, or <see cref="MerkleProofFailure.None"/>.</summary>
    public MerkleProofFailure Failure { get; }

    /// <summary>The stable reason code: <c>valid</c>, <c>index_out_of_range</c>, <c>invalid_sizes</c>, <c>wrong_proof_size</c>,
    /// <c>malformed_hash</c>, <c>non_empty_proof_for_equal_sizes</c> or <c>root_mismatch</c>.</summary>
    public string Code => CodeOf(Failure);

    /// <summary>A human-readable explanation, for logs; not stable.</summary>
    public string Message { get; }

    /// <summary>The position in the proof of the offending element for <see cref="MerkleProofFailure.MalformedHash"/>; -1 otherwise.</summary>
    public int ProofIndex { get; }

    /// <summary>The stable snake_case code of <paramref name="failure"/>.</summary>
    public static string CodeOf(MerkleProofFailure failure) => failure switch
    {
        MerkleProofFailure.None => "valid",
        MerkleProofFailure.IndexOutOfRange => "index_out_of_range",
        MerkleProofFailure.InvalidSizes => "invalid_sizes",
        MerkleProofFailure.WrongProofSize => "wrong_proof_size",
        MerkleProofFailure.MalformedHash => "malformed_hash",
        MerkleProofFailure.NonEmptyProofForEqualSizes => "non_empty_proof_for_equal_sizes",
        MerkleProofFailure.RootMismatch => "root_mismatch",
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, null),
    };

    /// <inheritdoc />
    public override string ToString() => IsValid ? Code : $"{Code}: {Message}";

    internal static MerkleProofResult Invalid(MerkleProofFailure failure, string message, int proofIndex = -1) =>
        new(failure, message, proofIndex);
}
