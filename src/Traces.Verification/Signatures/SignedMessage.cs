using System.Diagnostics.CodeAnalysis;
using Traces.Verification.Hashing;

namespace Traces.Verification.Signatures;

/// <summary>
/// The bytes a traces/v1 signature covers: <c>ASCII(label) || 0x00 || digest</c> (32 raw bytes).
/// The 0x00 separator cannot occur in a label, so (label, digest) pairs map to distinct messages.
/// </summary>
public static class SignedMessage
{
    /// <summary>The number of bytes <see cref="Create"/> returns for <paramref name="label"/>.</summary>
    /// <exception cref="ArgumentException">The label is empty or not printable ASCII.</exception>
    public static int GetLength(string label)
    {
        ValidateLabel(label);
        return label.Length + 1 + Digest.Length;
    }

    /// <summary>Builds <c>ASCII(label) || 0x00 || digest</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    /// <exception cref="ArgumentException">The label is empty or contains a character outside printable ASCII (0x20–0x7E).</exception>
    public static byte[] Create(string label, Digest digest)
    {
        var buffer = new byte[GetLength(label)];
        Write(label, digest, buffer);
        return buffer;
    }

    /// <summary>
    /// Writes <c>ASCII(label) || 0x00 || digest</c> into <paramref name="destination"/> without allocating.
    /// Returns false (and <paramref name="written"/> = 0) when the destination is too small.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    /// <exception cref="ArgumentException">The label is empty or contains a character outside printable ASCII (0x20–0x7E).</exception>
    public static bool TryWrite(string label, Digest digest, Span<byte> destination, out int written)
    {
        var length = GetLength(label);
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        Write(label, digest, destination);
        written = length;
        return true;
    }

    private static void Write(string label, Digest digest, Span<byte> destination)
    {
        for (var i = 0; i < label.Length; i++)
        {
            destination[i] = (byte)label[i];
        }

        destination[label.Length] = 0x00;
        digest.Bytes.CopyTo(destination[(label.Length + 1)..]);
    }

    private static void ValidateLabel([NotNull] string? label)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        foreach (var c in label)
        {
            // Printable ASCII only: excludes 0x00 (the separator) and anything whose encoding is ambiguous.
            if (c is < (char)0x20 or > (char)0x7E)
            {
                throw new ArgumentException(
                    $"A signature label must be printable ASCII (0x20-0x7E); found U+{(int)c:X4}.", nameof(label));
            }
        }
    }
}
