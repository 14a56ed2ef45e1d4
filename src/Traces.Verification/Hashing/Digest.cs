using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Traces.Verification.Hashing;

/// <summary>
/// A SHA-256 digest: 32 raw bytes, written in JSON as <c>sha256:</c> followed by 64 lowercase hex digits
/// (proof-format §2.1). Immutable; compares by value in constant time.
/// </summary>
public readonly struct Digest : IEquatable<Digest>
{
    /// <summary>The length of a SHA-256 digest in bytes.</summary>
    public const int Length = 32;

    /// <summary>The prefix of every digest string.</summary>
    public const string Prefix = "sha256:";

    /// <summary>The length of a digest string: the prefix plus 64 hex digits.</summary>
    public const int StringLength = 7 + 64;

    private readonly byte[]? _bytes;

    private Digest(byte[] bytes) => _bytes = bytes;

    /// <summary>32 zero bytes: the chain's <c>prev_0</c> (proof-format §5).</summary>
    public static Digest Zero { get; } = new(new byte[Length]);

    /// <summary>The raw 32 bytes. A <c>default</c> digest reads as 32 zero bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes ?? Zero._bytes!;

    /// <summary>Wraps 32 raw digest bytes (copied).</summary>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public static Digest FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"A SHA-256 digest is {Length} bytes; got {bytes.Length}.", nameof(bytes));
        }

        return new Digest(bytes.ToArray());
    }

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> data)
    {
        var bytes = new byte[Length];
        ShortSha256.Hash(data, bytes);
        return new Digest(bytes);
    }

    /// <summary>Parses <c>sha256:</c> + 64 lowercase hex digits. Uppercase hex and any other form are rejected.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Digest digest)
    {
        digest = default;
        if (text is null || text.Length != StringLength || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var hex = text.AsSpan(Prefix.Length);
        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        digest = new Digest(Convert.FromHexString(hex));
        return true;
    }

    /// <summary>Parses a digest string, throwing <see cref="FormatException"/> when it is not canonical.</summary>
    public static Digest Parse(string text) =>
        TryParse(text, out var digest)
            ? digest
            : throw new FormatException($"Not a digest ('sha256:' followed by 64 lowercase hex digits): '{Truncate(text)}'.");

    /// <summary>The canonical string form: <c>sha256:</c> + 64 lowercase hex digits.</summary>
    public override string ToString() => Prefix + Convert.ToHexStringLower(Bytes);

    /// <summary>The raw digest as 64 lowercase hex digits, without the prefix.</summary>
    public string ToHex() => Convert.ToHexStringLower(Bytes);

    /// <inheritdoc />
    public bool Equals(Digest other) => CryptographicOperations.FixedTimeEquals(Bytes, other.Bytes);

    /// <summary>
    /// Byte equality without the constant-time loop of <see cref="Equals(Digest)"/>, for digests that are all public
    /// (a bundle's claimed and recomputed hashes): nothing secret can leak through timing there, and the constant-time
    /// compare is never optimized by the JIT (a verifier compares four or five digests per entry).
    /// </summary>
    internal bool SameAs(Digest other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Digest other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Digest left, Digest right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Digest left, Digest right) => !left.Equals(right);

    private static string Truncate(string? text) =>
        text is null ? "null" : text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");
}
