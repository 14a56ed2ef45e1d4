using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using NSec.Cryptography;
using Traces.Verification.Hashing;

namespace Traces.Verification.Signatures;

/// <summary>
/// An Ed25519 public key (RFC 8032): 32 raw bytes. Immutable and safe to share between threads.
/// </summary>
public sealed class Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    /// <summary>The length of a raw Ed25519 public key in bytes.</summary>
    public const int Length = 32;

    // RFC 8410 §4: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (0 unused bits) 32 bytes }.
    // DER is canonical, so every Ed25519 SubjectPublicKeyInfo starts with exactly these 12 bytes.
    private static ReadOnlySpan<byte> SpkiPrefix => [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

    private readonly byte[] _raw;

    private Ed25519PublicKey(byte[] raw, PublicKey nsecKey)
    {
        _raw = raw;
        NSecKey = nsecKey;
        KeyId = Digest.Compute(raw);
    }

    /// <summary>The 32 raw key bytes (RFC 8032 §5.1.5 encoding).</summary>
    public ReadOnlySpan<byte> RawBytes => _raw;

    /// <summary>The key id: SHA-256 of the 32 raw key bytes.</summary>
    public Digest KeyId { get; }

    internal PublicKey NSecKey { get; }

    /// <summary>
    /// Imports a raw 32-byte key. Returns false when the length is wrong or the bytes are not a valid point encoding.
    /// </summary>
    public static bool TryImport(ReadOnlySpan<byte> raw32, [NotNullWhen(true)] out Ed25519PublicKey? key)
    {
        key = null;
        if (raw32.Length != Length
            || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw32, KeyBlobFormat.RawPublicKey, out var nsecKey)
            || nsecKey is null)
        {
            return false;
        }

        key = new Ed25519PublicKey(raw32.ToArray(), nsecKey);
        return true;
    }

    /// <summary>Imports a DER SubjectPublicKeyInfo of an Ed25519 key (OID 1.3.101.112, RFC 8410).</summary>
    public static bool TryImportSubjectPublicKeyInfo(ReadOnlySpan<byte> spkiDer, [NotNullWhen(true)] out Ed25519PublicKey? key)
    {
        key = null;
        return spkiDer.Length == SpkiPrefix.Length + Length
            && spkiDer.StartsWith(SpkiPrefix)
            && TryImport(spkiDer[SpkiPrefix.Length..], out key);
    }

    /// <summary>
    /// Imports a PEM <c>-----BEGIN PUBLIC KEY-----</c> block holding an Ed25519 SubjectPublicKeyInfo.
    /// Returns false for any other label, algorithm or malformed text.
    /// </summary>
    public static bool TryImportPem(string? spkiPem, [NotNullWhen(true)] out Ed25519PublicKey? key)
    {
        key = null;
        if (spkiPem is null || !PemEncoding.TryFind(spkiPem, out var fields))
        {
            return false;
        }

        if (!spkiPem.AsSpan()[fields.Label].SequenceEqual("PUBLIC KEY"))
        {
            return false;
        }

        Span<byte> der = stackalloc byte[64];
        return Convert.TryFromBase64Chars(spkiPem.AsSpan()[fields.Base64Data], der, out var length)
            && TryImportSubjectPublicKeyInfo(der[..length], out key);
    }

    /// <summary>
    /// Verifies an Ed25519 signature over <paramref name="message"/>. False for a wrong-length or non-canonical
    /// signature (S ≥ L) or a signature that does not verify; never throws for bad input.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Ed25519Verifier.Verify(this, message, signature);

    /// <inheritdoc />
    public bool Equals(Ed25519PublicKey? other) => other is not null && _raw.AsSpan().SequenceEqual(other._raw);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Ed25519PublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => KeyId.GetHashCode();

    /// <summary>The raw key as 64 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(_raw);
}
