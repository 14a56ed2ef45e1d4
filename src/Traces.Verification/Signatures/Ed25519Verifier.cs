using NSec.Cryptography;

namespace Traces.Verification.Signatures;

/// <summary>
/// Ed25519 signature verification (RFC 8032 §5.1.7) through NSec/libsodium, with an explicit canonical-S check.
/// Stateless and thread-safe.
/// </summary>
public static class Ed25519Verifier
{
    /// <summary>The length of an Ed25519 signature in bytes: R (32) || S (32).</summary>
    public const int SignatureLength = 64;

    // L = 2^252 + 27742317777372353535851937790883648493, the order of the base point (RFC 8032 §5.1), little-endian.
    private static ReadOnlySpan<byte> GroupOrder =>
    [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ];

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="message"/> with <paramref name="key"/>.
    /// Returns false for a signature that is not 64 bytes, whose S is not canonical, or that does not verify.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static bool Verify(Ed25519PublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        // RFC 8032 §5.1.7 step 1: "If any of the decodings fail (including S being out of range), the signature is
        // invalid." Checked here rather than trusting the library's own check, so S + L malleability is always rejected.
        if (!IsCanonicalScalar(signature[32..]))
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key.NSecKey, message, signature);
    }

    /// <summary>True when the 32-byte little-endian scalar is less than the group order L (RFC 8032 §5.1.7 step 1).</summary>
    public static bool IsCanonicalScalar(ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != 32)
        {
            return false;
        }

        // Little-endian: compare from the most significant byte down.
        for (var i = 31; i >= 0; i--)
        {
            if (scalar[i] != GroupOrder[i])
            {
                return scalar[i] < GroupOrder[i];
            }
        }

        return false; // S == L
    }
}
