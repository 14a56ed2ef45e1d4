using Traces.Verification.Signatures;

namespace Traces.Verification.Bundles;

/// <summary>
/// The JSON encodings of keys and signatures (proof-format §8): lowercase hex everywhere, behind a prefix naming
/// what the bytes are. Parsing is strict: one spelling per value, so one value has one hash.
/// </summary>
public static class WireEncoding
{
    private static readonly System.Buffers.SearchValues<char> s_lowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>Prefix of an Ed25519 signature.</summary>
    public const string Ed25519SignaturePrefix = "ed25519:";

    /// <summary>Prefix of an Ed25519 public key.</summary>
    public const string Ed25519PublicKeyPrefix = "ed25519_pk:";

    /// <summary>Prefix of a certificate signature, and the certificate <c>algorithm</c>.</summary>
    public const string RsaPssSha256 = "rsa-pss-sha256";

    /// <summary>Formats an Ed25519 signature: <c>ed25519:</c> + 128 lowercase hex digits.</summary>
    public static string FormatEd25519Signature(ReadOnlySpan<byte> signature) =>
        Ed25519SignaturePrefix + Convert.ToHexStringLower(signature);

    /// <summary>Formats an Ed25519 public key: <c>ed25519_pk:</c> + 64 lowercase hex digits.</summary>
    public static string FormatEd25519PublicKey(ReadOnlySpan<byte> rawKey) =>
        Ed25519PublicKeyPrefix + Convert.ToHexStringLower(rawKey);

    /// <summary>Formats a certificate signature: <c>rsa-pss-sha256:</c> + lowercase hex digits.</summary>
    public static string FormatRsaPssSignature(ReadOnlySpan<byte> signature) =>
        RsaPssSha256 + ":" + Convert.ToHexStringLower(signature);

    /// <summary>Decodes <c>ed25519:</c> + 128 lowercase hex into 64 bytes.</summary>
    public static bool TryParseEd25519Signature(string? text, Span<byte> signature) =>
        signature.Length == 64 && TryParseHex(text, Ed25519SignaturePrefix, signature);

    /// <summary>Decodes <c>ed25519_pk:</c> + 64 lowercase hex into a key.</summary>
    public static bool TryParseEd25519PublicKey(string? text, out Ed25519PublicKey? key)
    {
        Span<byte> raw = stackalloc byte[32];
        key = null;
        return TryParseHex(text, Ed25519PublicKeyPrefix, raw) && Ed25519PublicKey.TryImport(raw, out key);
    }

    /// <summary>Decodes <c>rsa-pss-sha256:</c> + lowercase hex (any even length up to 2048 digits).</summary>
    public static bool TryParseRsaPssSignature(string? text, out byte[]? signature)
    {
        signature = null;
        const string prefix = RsaPssSha256 + ":";
        if (text is null || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var hexLength = text.Length - prefix.Length;
        if (hexLength == 0 || hexLength % 2 != 0 || hexLength > 2048)
        {
            return false;
        }

        var bytes = new byte[hexLength / 2];
        if (!TryParseHex(text, prefix, bytes))
        {
            return false;
        }

        signature = bytes;
        return true;
    }

    private static bool TryParseHex(string? text, string prefix, Span<byte> destination)
    {
        if (text is null || text.Length != prefix.Length + destination.Length * 2 || !text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        // Lowercase hex only; checked vectorized (a signature is parsed for every entry of a bundle).
        var hex = text.AsSpan(prefix.Length);
        if (hex.ContainsAnyExcept(s_lowerHex))
        {
            return false;
        }

        return Convert.FromHexString(hex, destination, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == destination.Length;
    }
}
