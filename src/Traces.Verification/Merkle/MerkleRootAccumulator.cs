using System.Numerics;
using Traces.Verification.Hashing;

namespace Traces.Verification.Merkle;

/// <summary>
/// Computes the RFC 9162 §2.1.1 Merkle Tree Hash of a stream of leaf hashes in O(log n) memory,
/// so a bundle with millions of entries can be checked while it is read.
/// </summary>
/// <remarks>
/// The accumulator keeps one perfect-subtree root per set bit of <see cref="Count"/>, like a binary counter:
/// appending a leaf merges equal-sized subtrees the way a carry propagates. <see cref="Append(ReadOnlySpan{byte})"/>
/// does not allocate. Not thread-safe.
/// </remarks>
public sealed class MerkleRootAccumulator
{
    // A count is a long, so at most 63 set bits; 64 slots leave room without a bounds branch.
    private const int Levels = 64;

    // Slot i holds the root of the perfect subtree of 2^i leaves when bit i of _count is set.
    private readonly byte[] _slots = new byte[Levels * Digest.Length];
    private long _count;

    /// <summary>The number of leaves appended so far.</summary>
    public long Count => _count;

    /// <summary>Appends the next leaf hash (a <see cref="MerkleTree.LeafHash(ReadOnlySpan{byte})"/>, not leaf data).</summary>
    public void Append(Digest leafHash) => Append(leafHash.Bytes);

    /// <summary>Appends the next leaf hash, given as 32 raw bytes. Does not allocate.</summary>
    /// <exception cref="ArgumentException"><paramref name="leafHash"/> is not 32 bytes.</exception>
    /// <exception cref="InvalidOperationException">The tree already holds <see cref="long.MaxValue"/> leaves.</exception>
    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != Digest.Length)
        {
            throw new ArgumentException($"A leaf hash is {Digest.Length} bytes; got {leafHash.Length}.", nameof(leafHash));
        }

        if (_count == long.MaxValue)
        {
            throw new InvalidOperationException("The tree is full.");
        }

        Span<byte> carry = stackalloc byte[Digest.Length];
        leafHash.CopyTo(carry);

        // Each set low bit of the count is a complete left sibling of the same size as the carry:
        // RFC 9162 §2.1.1 splits at the largest power of two, so equal perfect subtrees merge as
        // HASH(0x01 || older || newer), exactly as MTH would pair them.
        var level = 0;
        for (var c = _count; (c & 1) != 0; c >>= 1, level++)
        {
            MerkleTree.NodeHash(Slot(level), carry, carry);
        }

        carry.CopyTo(Slot(level));
        _count++;
    }

    /// <summary>Hashes <paramref name="leafData"/> as a leaf (<c>SHA-256(0x00 || data)</c>) and appends it. Does not allocate for data up to 255 bytes.</summary>
    public void AppendLeaf(ReadOnlySpan<byte> leafData)
    {
        Span<byte> leafHash = stackalloc byte[Digest.Length];
        MerkleTree.LeafHash(leafData, leafHash);
        Append(leafHash);
    }

    /// <summary>
    /// The Merkle Tree Hash of the leaves appended so far; the empty tree gives <see cref="MerkleTree.EmptyRoot"/>.
    /// May be called at any time; it does not change the accumulator.
    /// </summary>
    public Digest ComputeRoot()
    {
        if (_count == 0)
        {
            return MerkleTree.EmptyRoot;
        }

        Span<byte> root = stackalloc byte[Digest.Length];
        ComputeRoot(root);
        return Digest.FromBytes(root);
    }

    /// <summary>Writes the current root to <paramref name="destination"/> (32 bytes) without allocating.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public void ComputeRoot(Span<byte> destination)
    {
        if (destination.Length < Digest.Length)
        {
            throw new ArgumentException($"The destination must hold {Digest.Length} bytes.", nameof(destination));
        }

        if (_count == 0)
        {
            MerkleTree.EmptyRoot.Bytes.CopyTo(destination);
            return;
        }

        // RFC 9162 §2.1.1: for n = 2^a + 2^b + ... (a > b > ...) MTH splits off the largest perfect subtree
        // on the left and recurses on the rest, so the root is the right-to-left fold of the subtrees:
        // start at the smallest (lowest set bit) and wrap each larger one around it as the left child.
        Span<byte> acc = stackalloc byte[Digest.Length];
        var level = BitOperations.TrailingZeroCount(_count);
        Slot(level).CopyTo(acc);
        for (var c = (ulong)_count >> (level + 1); c != 0; c >>= 1)
        {
            level++;
            if ((c & 1) != 0)
            {
                MerkleTree.NodeHash(Slot(level), acc, acc);
            }
        }

        acc.CopyTo(destination);
    }

    /// <summary>Forgets every leaf, so the accumulator can be reused.</summary>
    public void Reset()
    {
        Array.Clear(_slots);
        _count = 0;
    }

    private Span<byte> Slot(int level) => _slots.AsSpan(level * Digest.Length, Digest.Length);
}
