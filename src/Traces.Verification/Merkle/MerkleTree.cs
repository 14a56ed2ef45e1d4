using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Traces.Verification.Hashing;

namespace Traces.Verification.Merkle;

/// <summary>
/// The Merkle Tree Hash of RFC 9162 §2.1 with SHA-256: leaf and node hashing, the root (MTH) of a list of
/// leaf hashes, and generation of inclusion (§2.1.3.1) and consistency (§2.1.4.1) proofs.
/// </summary>
/// <remarks>
/// In the traces/v1 format every leaf is a raw 32-byte content digest, so the leaf hash of an entry is
/// <c>LeafHash(digest.Bytes)</c>. <see cref="RootHash(IReadOnlyList{Digest})"/>, <see cref="InclusionProof"/>
/// and <see cref="ConsistencyProof"/> take leaf <em>hashes</em>, not leaf data.
/// </remarks>
public static class MerkleTree
{
    /// <summary>The domain-separation prefix of a leaf hash (RFC 9162 §2.1.1).</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>The domain-separation prefix of an interior node hash (RFC 9162 §2.1.1).</summary>
    public const byte NodePrefix = 0x01;

    // Leaf data up to this size is prefixed on the stack; larger data borrows a pooled buffer.
    private const int StackLimit = 256;

    private static readonly Digest s_emptyRoot = Digest.Compute([]);

    /// <summary>The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1, MTH({}) = HASH()).</summary>
    public static Digest EmptyRoot => s_emptyRoot;

    /// <summary>The leaf hash <c>SHA-256(0x00 || leafData)</c> (RFC 9162 §2.1.1).</summary>
    public static Digest LeafHash(ReadOnlySpan<byte> leafData)
    {
        Span<byte> hash = stackalloc byte[Digest.Length];
        LeafHash(leafData, hash);
        return Digest.FromBytes(hash);
    }

    /// <summary>Writes the leaf hash <c>SHA-256(0x00 || leafData)</c> to <paramref name="destination"/> without allocating.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void LeafHash(ReadOnlySpan<byte> leafData, Span<byte> destination)
    {
        RequireDestination(destination);
        byte[]? rented = null;
        var length = leafData.Length + 1;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            // RFC 9162 §2.1.1: the 0x00 prefix separates leaves from nodes, so no leaf can pose as a subtree.
            buffer[0] = LeafPrefix;
            leafData.CopyTo(buffer[1..]);
            ShortSha256.Hash(buffer[..length], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The interior node hash <c>SHA-256(0x01 || left || right)</c> (RFC 9162 §2.1.1).</summary>
    public static Digest NodeHash(Digest left, Digest right)
    {
        Span<byte> hash = stackalloc byte[Digest.Length];
        NodeHash(left.Bytes, right.Bytes, hash);
        return Digest.FromBytes(hash);
    }

    /// <summary>
    /// Writes <c>SHA-256(0x01 || left || right)</c> to <paramref name="destination"/> without allocating.
    /// <paramref name="destination"/> may overlap either input.
    /// </summary>
    /// <exception cref="ArgumentException">An input is not 32 bytes, or <paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static void NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Digest.Length || right.Length != Digest.Length)
        {
            throw new ArgumentException($"Node children are {Digest.Length}-byte hashes; got {left.Length} and {right.Length}.");
        }

        RequireDestination(destination);
        Span<byte> buffer = stackalloc byte[1 + (2 * Digest.Length)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Digest.Length)..]);
        ShortSha256.Hash(buffer, destination);
    }

    /// <summary>
    /// The Merkle Tree Hash MTH(D[n]) of RFC 9162 §2.1.1 over already-hashed leaves
    /// (each element is a <see cref="LeafHash(ReadOnlySpan{byte})"/>, not leaf data).
    /// The empty list gives <see cref="EmptyRoot"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="leafHashes"/> is null.</exception>
    public static Digest RootHash(IReadOnlyList<Digest> leafHashes) => RootHash(AsSpan(leafHashes));

    /// <summary>The Merkle Tree Hash MTH(D[n]) of RFC 9162 §2.1.1 over already-hashed leaves.</summary>
    public static Digest RootHash(ReadOnlySpan<Digest> leafHashes)
    {
        if (leafHashes.IsEmpty)
        {
            return s_emptyRoot;
        }

        Span<byte> root = stackalloc byte[Digest.Length];
        Mth(leafHashes, root);
        return Digest.FromBytes(root);
    }

    /// <summary>
    /// The inclusion proof PATH(m, D[n]) of RFC 9162 §2.1.3.1 for the leaf at <paramref name="index"/>,
    /// ordered from the leaf's sibling up to the root's child.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="leafHashes"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, n).</exception>
    public static IReadOnlyList<Digest> InclusionProof(IReadOnlyList<Digest> leafHashes, long index)
    {
        var leaves = AsSpan(leafHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leaves.Length);

        var proof = new List<Digest>();
        Path((int)index, leaves, proof);
        return proof;
    }

    /// <summary>
    /// The consistency proof PROOF(m, D[n]) of RFC 9162 §2.1.4.1 between the first <paramref name="size1"/>
    /// leaves and all of them. Empty when <paramref name="size1"/> equals n.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="leafHashes"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size1"/> is not in [1, n].</exception>
    public static IReadOnlyList<Digest> ConsistencyProof(IReadOnlyList<Digest> leafHashes, long size1)
    {
        var leaves = AsSpan(leafHashes);

        // RFC 9162 §2.1.4.1 defines PROOF(m, D[n]) for 0 < m <= n only: nothing can be proved about the empty tree.
        ArgumentOutOfRangeException.ThrowIfLessThan(size1, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, leaves.Length);

        var proof = new List<Digest>();
        SubProof((int)size1, leaves, true, proof);
        return proof;
    }

    /// <summary>The largest power of two strictly less than <paramref name="n"/> (n &gt; 1): the split point k of RFC 9162 §2.1.1.</summary>
    internal static int SplitPoint(int n) => 1 << (31 - int.LeadingZeroCount(n - 1));

    // RFC 9162 §2.1.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest power of two < n.
    private static void Mth(ReadOnlySpan<Digest> leaves, Span<byte> destination)
    {
        if (leaves.Length == 1)
        {
            leaves[0].Bytes.CopyTo(destination);
            return;
        }

        var k = SplitPoint(leaves.Length);
        Span<byte> left = stackalloc byte[Digest.Length];
        Span<byte> right = stackalloc byte[Digest.Length];
        Mth(leaves[..k], left);
        Mth(leaves[k..], right);
        NodeHash(left, right, destination);
    }

    private static Digest MthDigest(ReadOnlySpan<Digest> leaves)
    {
        Span<byte> hash = stackalloc byte[Digest.Length];
        Mth(leaves, hash);
        return Digest.FromBytes(hash);
    }

    // RFC 9162 §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k,
    // and PATH(m - k, D[k:n]) : MTH(D[0:k]) otherwise. Appending after recursing orders it bottom-up.
    private static void Path(int m, ReadOnlySpan<Digest> leaves, List<Digest> proof)
    {
        if (leaves.Length == 1)
        {
            return;
        }

        var k = SplitPoint(leaves.Length);
        if (m < k)
        {
            Path(m, leaves[..k], proof);
            proof.Add(MthDigest(leaves[k..]));
        }
        else
        {
            Path(m - k, leaves[k..], proof);
            proof.Add(MthDigest(leaves[..k]));
        }
    }

    // RFC 9162 §2.1.4.1: SUBPROOF(m, D[n], b). The flag b records whether D[0:m] is the whole old tree
    // (whose root the verifier already has) or a subtree whose hash must be supplied.
    private static void SubProof(int m, ReadOnlySpan<Digest> leaves, bool isOldRoot, List<Digest> proof)
    {
        var n = leaves.Length;
        if (m == n)
        {
            if (!isOldRoot)
            {
                proof.Add(MthDigest(leaves));
            }

            return;
        }

        var k = SplitPoint(n);
        if (m <= k)
        {
            SubProof(m, leaves[..k], isOldRoot, proof);
            proof.Add(MthDigest(leaves[k..]));
        }
        else
        {
            SubProof(m - k, leaves[k..], false, proof);
            proof.Add(MthDigest(leaves[..k]));
        }
    }

    private static ReadOnlySpan<Digest> AsSpan(IReadOnlyList<Digest> leafHashes)
    {
        ArgumentNullException.ThrowIfNull(leafHashes);
        return leafHashes switch
        {
            Digest[] array => array,
            List<Digest> list => CollectionsMarshal.AsSpan(list),
            _ => leafHashes.ToArray(),
        };
    }

    private static void RequireDestination(Span<byte> destination)
    {
        if (destination.Length < Digest.Length)
        {
            throw new ArgumentException($"The destination must hold {Digest.Length} bytes; it holds {destination.Length}.", nameof(destination));
        }
    }
}
