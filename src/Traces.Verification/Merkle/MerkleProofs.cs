using System.Numerics;
using System.Security.Cryptography;
using Traces.Verification.Hashing;

namespace Traces.Verification.Merkle;

/// <summary>
/// Verification of RFC 9162 Merkle inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, with the verdicts of
/// transparency-dev/merkle <c>proof/verify.go</c>. A bad proof gives an invalid <see cref="MerkleProofResult"/>;
/// only null arguments throw.
/// </summary>
/// <remarks>
/// Each check has two forms: one over <see cref="Digest"/> values, and one over raw bytes for hashes that
/// come straight from untrusted input, where an element of the wrong length is reported as
/// <see cref="MerkleProofFailure.MalformedHash"/> instead of failing to parse.
/// </remarks>
public static class MerkleProofs
{
    /// <summary>Checks that <paramref name="proof"/> proves the leaf <paramref name="leafHash"/> is at <paramref name="leafIndex"/> in the tree of <paramref name="treeSize"/> leaves with root <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleProofResult VerifyInclusion(long leafIndex, long treeSize, Digest leafHash, IReadOnlyList<Digest> proof, Digest root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return VerifyInclusion(leafIndex, treeSize, leafHash.Bytes, new DigestHashes(proof), root.Bytes);
    }

    /// <summary>
    /// Checks an inclusion proof whose hashes are raw bytes from untrusted input. Any hash that is not 32 bytes
    /// makes the proof invalid with <see cref="MerkleProofFailure.MalformedHash"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleProofResult VerifyInclusion(
        long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<ReadOnlyMemory<byte>> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return VerifyInclusion(leafIndex, treeSize, leafHash, new MemoryHashes(proof), root);
    }

    /// <summary>
    /// Computes the root that <paramref name="proof"/> leads to from the leaf at <paramref name="leafIndex"/> in a tree of
    /// <paramref name="treeSize"/> leaves (RFC 9162 §2.1.3.2 without the final comparison). <paramref name="root"/> is
    /// <c>default</c> when the result is invalid.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleProofResult RootFromInclusionProof(long leafIndex, long treeSize, Digest leafHash, IReadOnlyList<Digest> proof, out Digest root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        Span<byte> computed = stackalloc byte[Digest.Length];
        var result = RootFromInclusionProof(leafIndex, treeSize, leafHash.Bytes, new DigestHashes(proof), computed);
        root = result.IsValid ? Digest.FromBytes(computed) : default;
        return result;
    }

    /// <summary>
    /// Computes into <paramref name="root"/> (32 bytes) the root that a raw-byte inclusion proof leads to, without allocating.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="root"/> is shorter than 32 bytes.</exception>
    public static MerkleProofResult RootFromInclusionProof(
        long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<ReadOnlyMemory<byte>> proof, Span<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        RequireDestination(root);
        return RootFromInclusionProof(leafIndex, treeSize, leafHash, new MemoryHashes(proof), root);
    }

    /// <summary>
    /// Checks that <paramref name="proof"/> proves the tree of <paramref name="size1"/> leaves with root <paramref name="root1"/>
    /// is a prefix of the tree of <paramref name="size2"/> leaves with root <paramref name="root2"/>. Requires 0 &lt; size1 &lt;= size2.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleProofResult VerifyConsistency(long size1, long size2, IReadOnlyList<Digest> proof, Digest root1, Digest root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return VerifyConsistency(size1, size2, new DigestHashes(proof), root1.Bytes, root2.Bytes);
    }

    /// <summary>
    /// Checks a consistency proof whose hashes are raw bytes from untrusted input. A proof element or root that is not
    /// 32 bytes makes the proof invalid with <see cref="MerkleProofFailure.MalformedHash"/>, except that for equal sizes the
    /// two roots are only compared byte for byte, as transparency-dev/merkle does.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleProofResult VerifyConsistency(
        long size1, long size2, IReadOnlyList<ReadOnlyMemory<byte>> proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return VerifyConsistency(size1, size2, new MemoryHashes(proof), root1, root2);
    }

    /// <summary>
    /// Computes the root of the tree of <paramref name="size2"/> leaves that <paramref name="proof"/> leads to from the tree of
    /// <paramref name="size1"/> leaves with root <paramref name="root1"/>, having checked that the proof also reproduces
    /// <paramref name="root1"/> (RFC 9162 §2.1.4.2 without the final comparison). <paramref name="root2"/> is <c>default</c>
    /// when the result is invalid.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="proof"/> is null.</exception>
    public static MerkleProofResult RootFromConsistencyProof(long size1, long size2, IReadOnlyList<Digest> proof, Digest root1, out Digest root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        root2 = default;
        var hashes = new DigestHashes(proof);
        var result = CheckConsistencyShape(size1, size2, hashes, root1.Bytes);
        if (result is not null)
        {
            return result;
        }

        if (size1 == size2)
        {
            root2 = root1;
            return MerkleProofResult.Valid;
        }

        Span<byte> computed = stackalloc byte[Digest.Length];
        result = ChainConsistency(size1, size2, hashes, root1.Bytes, computed);
        if (result.IsValid)
        {
            root2 = Digest.FromBytes(computed);
        }

        return result;
    }

    /// <summary>
    /// The number of hashes in an inclusion proof for <paramref name="leafIndex"/> in a tree of <paramref name="treeSize"/>
    /// leaves (0 &lt;= leafIndex &lt; treeSize): the levels below the point where the paths to the leaf and to the last leaf
    /// diverge, plus one per left-side subtree on the right border above it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is not in [0, treeSize).</exception>
    public static int InclusionProofSize(long leafIndex, long treeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, treeSize);
        var (inner, border) = DecomposeInclusionProof((ulong)leafIndex, (ulong)treeSize);
        return inner + border;
    }

    /// <summary>The number of hashes in a consistency proof between trees of <paramref name="size1"/> and <paramref name="size2"/> leaves (0 &lt; size1 &lt;= size2).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sizes are not 0 &lt; size1 &lt;= size2.</exception>
    public static int ConsistencyProofSize(long size1, long size2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size1, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(size2, size1);
        return size1 == size2 ? 0 : ExpectedConsistencyProofSize((ulong)size1, (ulong)size2);
    }

    private static MerkleProofResult VerifyInclusion<T>(long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, T proof, ReadOnlySpan<byte> root)
        where T : struct, IHashes
    {
        Span<byte> computed = stackalloc byte[Digest.Length];
        var result = RootFromInclusionProof(leafIndex, treeSize, leafHash, proof, computed);
        if (!result.IsValid)
        {
            return result;
        }

        if (root.Length != Digest.Length)
        {
            return MalformedHash("root", root.Length);
        }

        // RFC 9162 §2.1.3.2 step 5: the proof holds only if the recomputed root is the trusted one.
        return CryptographicOperations.FixedTimeEquals(computed, root)
            ? MerkleProofResult.Valid
            : MerkleProofResult.Invalid(MerkleProofFailure.RootMismatch, "The inclusion proof leads to a different root.");
    }

    private static MerkleProofResult RootFromInclusionProof<T>(long leafIndex, long treeSize, ReadOnlySpan<byte> leafHash, T proof, Span<byte> root)
        where T : struct, IHashes
    {
        if (treeSize < 0)
        {
            return MerkleProofResult.Invalid(MerkleProofFailure.InvalidSizes, $"The tree size {treeSize} is negative.");
        }

        // RFC 9162 §2.1.3.2 step 1: a leaf beyond the tree cannot be in it (this also rejects every index of the empty tree).
        if (leafIndex < 0 || leafIndex >= treeSize)
        {
            return MerkleProofResult.Invalid(
                MerkleProofFailure.IndexOutOfRange, $"The leaf index {leafIndex} is not in [0, {treeSize}).");
        }

        if (leafHash.Length != Digest.Length)
        {
            return MalformedHash("leaf hash", leafHash.Length);
        }

        // The RFC loop below would also fail a proof of the wrong length (sn reaches 0 too early, or not at all),
        // but checking the exact length first gives a precise reason and never reads past the proof.
        var expected = InclusionProofSize(leafIndex, treeSize);
        if (proof.Count != expected)
        {
            return WrongProofSize(proof.Count, expected);
        }

        var malformed = FindMalformed(proof);
        if (malformed is not null)
        {
            return malformed;
        }

        // RFC 9162 §2.1.3.2 step 2: fn walks the leaf's path, sn the path of the last leaf (the right border).
        var fn = (ulong)leafIndex;
        var sn = (ulong)treeSize - 1;

        // Step 3.
        var r = root[..Digest.Length];
        leafHash.CopyTo(r);

        // Step 4.
        for (var i = 0; i < proof.Count; i++)
        {
            if (sn == 0)
            {
                return WrongProofSize(proof.Count, i);
            }

            var p = proof[i];
            if ((fn & 1) == 1 || fn == sn)
            {
                // The sibling is on the left. When fn == sn with LSB(fn) clear, we are on the right border and the
                // levels where the node has no right sibling are skipped: they are not in the proof.
                MerkleTree.NodeHash(p, r, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                MerkleTree.NodeHash(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 5: sn must have reached the root level exactly.
        return sn == 0 ? MerkleProofResult.Valid : WrongProofSize(proof.Count, expected);
    }

    private static MerkleProofResult VerifyConsistency<T>(long size1, long size2, T proof, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2)
        where T : struct, IHashes
    {
        var result = CheckConsistencyShape(size1, size2, proof, root1);
        if (result is not null)
        {
            return result;
        }

        if (size1 == size2)
        {
            // Not in the RFC, which defines proofs for m < n: a tree is consistent with itself exactly when the
            // roots agree. Compared as given, like verify.go, so malformed but identical roots still match.
            return CryptographicOperations.FixedTimeEquals(root1, root2)
                ? MerkleProofResult.Valid
                : MerkleProofResult.Invalid(MerkleProofFailure.RootMismatch, "Trees of equal size have different roots.");
        }

        if (root2.Length != Digest.Length)
        {
            return MalformedHash("second root", root2.Length);
        }

        Span<byte> computed = stackalloc byte[Digest.Length];
        result = ChainConsistency(size1, size2, proof, root1, computed);
        if (!result.IsValid)
        {
            return result;
        }

        // RFC 9162 §2.1.4.2 step 7: sr must equal second_hash.
        return CryptographicOperations.FixedTimeEquals(computed, root2)
            ? MerkleProofResult.Valid
            : MerkleProofResult.Invalid(MerkleProofFailure.RootMismatch, "The consistency proof leads to a different second root.");
    }

    // The checks that need no hashing, in verify.go's order of precedence; null when the proof may proceed.
    private static MerkleProofResult? CheckConsistencyShape<T>(long size1, long size2, T proof, ReadOnlySpan<byte> root1)
        where T : struct, IHashes
    {
        if (size1 < 0 || size2 < 0)
        {
            return MerkleProofResult.Invalid(MerkleProofFailure.InvalidSizes, $"The sizes {size1} and {size2} must not be negative.");
        }

        // RFC 9162 §2.1.4.1 defines PROOF(m, D[n]) for 0 < m only: every tree extends the empty one, so a
        // "proof" from size 0 proves nothing and is refused rather than accepted vacuously.
        if (size1 == 0)
        {
            return MerkleProofResult.Invalid(MerkleProofFailure.InvalidSizes, "A consistency proof from the empty tree is meaningless.");
        }

        if (size2 < size1)
        {
            return MerkleProofResult.Invalid(MerkleProofFailure.InvalidSizes, $"The second tree ({size2}) is smaller than the first ({size1}).");
        }

        if (size1 == size2)
        {
            return proof.Count == 0
                ? null
                : MerkleProofResult.Invalid(
                    MerkleProofFailure.NonEmptyProofForEqualSizes, $"Trees of equal size need an empty proof; got {proof.Count} hashes.");
        }

        // RFC 9162 §2.1.4.2 step 1: a proof between different sizes is never empty.
        var expected = ExpectedConsistencyProofSize((ulong)size1, (ulong)size2);
        if (proof.Count != expected)
        {
            return WrongProofSize(proof.Count, expected);
        }

        if (root1.Length != Digest.Length)
        {
            return MalformedHash("first root", root1.Length);
        }

        return FindMalformed(proof);
    }

    // RFC 9162 §2.1.4.2 steps 2-7 for 0 < size1 < size2 and a proof of the expected length: recomputes both roots
    // from the shared path, checks fr against root1, and leaves sr in root2.
    private static MerkleProofResult ChainConsistency<T>(long size1, long size2, T proof, ReadOnlySpan<byte> root1, Span<byte> root2)
        where T : struct, IHashes
    {
        // Step 2: when size1 is a power of two the old tree is a complete subtree of the new one, and its root is
        // not repeated in the proof: the path starts from first_hash instead.
        var offset = BitOperations.IsPow2(size1) ? 1 : 0;
        var pathLength = proof.Count + offset;

        // Step 3.
        var fn = (ulong)size1 - 1;
        var sn = (ulong)size2 - 1;

        // Step 4: climb past the levels where the old tree's last node is a right child; the first path element
        // is the root of that whole subtree.
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        // Step 5.
        Span<byte> fr = stackalloc byte[Digest.Length];
        var sr = root2[..Digest.Length];
        (offset == 1 ? root1 : proof[0]).CopyTo(fr);
        fr.CopyTo(sr);

        // Step 6.
        for (var j = 1; j < pathLength; j++)
        {
            if (sn == 0)
            {
                return WrongProofSize(proof.Count, j - offset);
            }

            var c = proof[j - offset];
            if ((fn & 1) == 1 || fn == sn)
            {
                // A left sibling is part of both trees.
                MerkleTree.NodeHash(c, fr, fr);
                MerkleTree.NodeHash(c, sr, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                // A right sibling was appended after the old tree: only the new root includes it.
                MerkleTree.NodeHash(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        // Step 7: sn must be 0, and fr must be first_hash; otherwise the old tree is not a prefix of the new one.
        if (sn != 0)
        {
            return WrongProofSize(proof.Count, proof.Count);
        }

        return CryptographicOperations.FixedTimeEquals(fr, root1)
            ? MerkleProofResult.Valid
            : MerkleProofResult.Invalid(MerkleProofFailure.RootMismatch, "The consistency proof does not reproduce the first root.");
    }

    // The inclusion path of leaf `index` splits where it diverges from the path of the last leaf (size - 1):
    // `inner` levels below that point have a sibling each; above it the path runs along the right border,
    // which has a left sibling only where `index` has a set bit.
    private static (int Inner, int Border) DecomposeInclusionProof(ulong index, ulong size)
    {
        var inner = 64 - BitOperations.LeadingZeroCount(index ^ (size - 1));
        var border = BitOperations.PopCount(index >> inner);
        return (inner, border);
    }

    // A consistency proof is the inclusion proof of leaf size1 - 1 in the new tree, less the levels below the
    // largest complete subtree ending at size1 (whose root replaces them, or is first_hash itself when size1 is
    // a power of two).
    private static int ExpectedConsistencyProofSize(ulong size1, ulong size2)
    {
        var (inner, border) = DecomposeInclusionProof(size1 - 1, size2);
        var shift = BitOperations.TrailingZeroCount(size1);
        var seed = BitOperations.IsPow2(size1) ? 0 : 1;
        return seed + (inner - shift) + border;
    }

    private static MerkleProofResult? FindMalformed<T>(T proof)
        where T : struct, IHashes
    {
        for (var i = 0; i < proof.Count; i++)
        {
            var length = proof[i].Length;
            if (length != Digest.Length)
            {
                return MerkleProofResult.Invalid(
                    MerkleProofFailure.MalformedHash, $"Proof element {i} is {length} bytes, not {Digest.Length}.", i);
            }
        }

        return null;
    }

    private static MerkleProofResult MalformedHash(string what, int length) =>
        MerkleProofResult.Invalid(MerkleProofFailure.MalformedHash, $"The {what} is {length} bytes, not {Digest.Length}.");

    private static MerkleProofResult WrongProofSize(int actual, int expected) =>
        MerkleProofResult.Invalid(MerkleProofFailure.WrongProofSize, $"The proof has {actual} hashes; the sizes require {expected}.");

    private static void RequireDestination(Span<byte> destination)
    {
        if (destination.Length < Digest.Length)
        {
            throw new ArgumentException($"The destination must hold {Digest.Length} bytes; it holds {destination.Length}.", nameof(destination));
        }
    }

    // A list of hashes read as spans, so the algorithms run unchanged (and without copying) over Digest values
    // and over raw untrusted bytes. Structs keep the generic calls devirtualized.
    private interface IHashes
    {
        int Count { get; }

        ReadOnlySpan<byte> this[int index] { get; }
    }

    private readonly struct DigestHashes(IReadOnlyList<Digest> list) : IHashes
    {
        public int Count => list.Count;

        public ReadOnlySpan<byte> this[int index] => list[index].Bytes;
    }

    private readonly struct MemoryHashes(IReadOnlyList<ReadOnlyMemory<byte>> list) : IHashes
    {
        public int Count => list.Count;

        public ReadOnlySpan<byte> this[int index] => list[index].Span;
    }
}
