using System.Security.Cryptography;

namespace Traces.Verification.Signatures;

/// <summary>
/// How an RSA signature was made: RSASSA-PKCS1-v1_5 or RSASSA-PSS (RFC 8017 §8), the message hash and, for PSS,
/// the MGF1 hash and the salt length. Immutable.
/// </summary>
public sealed class RsaSignatureScheme : IEquatable<RsaSignatureScheme>
{
    private RsaSignatureScheme(RSASignaturePaddingMode padding, HashAlgorithmName hash, HashAlgorithmName mgf1Hash, int saltLength)
    {
        Padding = padding;
        Hash = hash;
        Mgf1Hash = mgf1Hash;
        SaltLength = saltLength;
    }

    /// <summary>PKCS#1 v1.5 or PSS.</summary>
    public RSASignaturePaddingMode Padding { get; }

    /// <summary>The hash applied to the message.</summary>
    public HashAlgorithmName Hash { get; }

    /// <summary>The hash inside MGF1 (PSS only; equals <see cref="Hash"/> for PKCS#1 v1.5).</summary>
    public HashAlgorithmName Mgf1Hash { get; }

    /// <summary>
    /// The PSS salt length in bytes, or <see cref="PssSaltLength.Recover"/> / <see cref="PssSaltLength.Maximum"/>.
    /// Zero for PKCS#1 v1.5.
    /// </summary>
    public int SaltLength { get; }

    /// <summary>RSASSA-PSS, SHA-256, MGF1-SHA-256, maximum salt length: what Novyx checkpoints use.</summary>
    public static RsaSignatureScheme PssSha256MaximumSalt { get; } =
        new(RSASignaturePaddingMode.Pss, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256, PssSaltLength.Maximum);

    /// <summary>RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with <paramref name="hash"/>.</summary>
    /// <exception cref="ArgumentException">The hash is not SHA-1, SHA-256, SHA-384 or SHA-512.</exception>
    public static RsaSignatureScheme Pkcs1v15(HashAlgorithmName hash)
    {
        HashFunctions.ThrowIfUnsupported(hash, nameof(hash));
        return new RsaSignatureScheme(RSASignaturePaddingMode.Pkcs1, hash, hash, 0);
    }

    /// <summary>RSASSA-PSS (RFC 8017 §8.1) with <paramref name="hash"/> for both the message and MGF1.</summary>
    /// <param name="hash">The message hash, also used in MGF1.</param>
    /// <param name="saltLength">Salt bytes (≥ 0), <see cref="PssSaltLength.Recover"/> or <see cref="PssSaltLength.Maximum"/>.</param>
    /// <exception cref="ArgumentException">The hash is not supported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The salt length is negative and not a special value.</exception>
    public static RsaSignatureScheme Pss(HashAlgorithmName hash, int saltLength) => Pss(hash, saltLength, hash);

    /// <summary>RSASSA-PSS (RFC 8017 §8.1) with a separate MGF1 hash (RFC 8017 §B.2.1).</summary>
    /// <param name="hash">The message hash.</param>
    /// <param name="saltLength">Salt bytes (≥ 0), <see cref="PssSaltLength.Recover"/> or <see cref="PssSaltLength.Maximum"/>.</param>
    /// <param name="mgf1Hash">The hash inside MGF1.</param>
    /// <exception cref="ArgumentException">A hash is not supported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The salt length is negative and not a special value.</exception>
    public static RsaSignatureScheme Pss(HashAlgorithmName hash, int saltLength, HashAlgorithmName mgf1Hash)
    {
        HashFunctions.ThrowIfUnsupported(hash, nameof(hash));
        HashFunctions.ThrowIfUnsupported(mgf1Hash, nameof(mgf1Hash));
        if (saltLength < 0 && saltLength is not (PssSaltLength.Recover or PssSaltLength.Maximum))
        {
            throw new ArgumentOutOfRangeException(
                nameof(saltLength), saltLength, "A salt length is ≥ 0, PssSaltLength.Recover or PssSaltLength.Maximum.");
        }

        return new RsaSignatureScheme(RSASignaturePaddingMode.Pss, hash, mgf1Hash, saltLength);
    }

    /// <summary>
    /// True when .NET's <see cref="RSASignaturePadding.Pss"/> can verify this scheme: it fixes the salt length to the
    /// hash length and MGF1's hash to the message hash.
    /// </summary>
    internal bool IsFrameworkPss =>
        Padding == RSASignaturePaddingMode.Pss
        && Mgf1Hash == Hash
        && SaltLength == HashFunctions.GetLength(Hash);

    /// <inheritdoc />
    public bool Equals(RsaSignatureScheme? other) =>
        other is not null && Padding == other.Padding && Hash == other.Hash && Mgf1Hash == other.Mgf1Hash && SaltLength == other.SaltLength;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RsaSignatureScheme);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Padding, Hash, Mgf1Hash, SaltLength);

    /// <summary>A readable form, e.g. <c>PSS(SHA256, MGF1-SHA256, salt=max)</c>.</summary>
    public override string ToString() => Padding == RSASignaturePaddingMode.Pkcs1
        ? $"PKCS1v15({Hash.Name})"
        : $"PSS({Hash.Name}, MGF1-{Mgf1Hash.Name}, salt={SaltLength switch
        {
            PssSaltLength.Recover => "recover",
            PssSaltLength.Maximum => "max",
            _ => SaltLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }})";
}
