using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;
using Traces.Verification.Hashing;

namespace Traces.Verification.Signatures;

/// <summary>
/// An RSA public key (n, e) of at least <see cref="MinimumKeySizeBits"/> bits. Immutable and safe to share between
/// threads: it holds only the key's numbers and its canonical SubjectPublicKeyInfo, never a platform key handle.
/// </summary>
public sealed class RsaPublicKey : IEquatable<RsaPublicKey>
{
    /// <summary>Keys shorter than this are rejected at import.</summary>
    public const int MinimumKeySizeBits = 2048;

    private readonly byte[] _spki;
    private readonly byte[] _modulus;
    private readonly byte[] _exponent;

    private RsaPublicKey(byte[] spki, byte[] modulus, byte[] exponent, int keySizeBits)
    {
        _spki = spki;
        _modulus = modulus;
        _exponent = exponent;
        KeySizeBits = keySizeBits;
        N = new BigInteger(modulus, isUnsigned: true, isBigEndian: true);
        E = new BigInteger(exponent, isUnsigned: true, isBigEndian: true);
        KeyId = Digest.Compute(spki);
    }

    /// <summary>modBits: the length of the modulus n in bits.</summary>
    public int KeySizeBits { get; }

    /// <summary>k: the length of the modulus in bytes, which is also the length of every signature.</summary>
    public int ModulusLength => (KeySizeBits + 7) / 8;

    /// <summary>The key id: SHA-256 of the DER SubjectPublicKeyInfo (rsaEncryption, RFC 8017 Appendix A.1).</summary>
    public Digest KeyId { get; }

    /// <summary>The DER SubjectPublicKeyInfo of the key (canonical, whatever form it was imported from).</summary>
    public ReadOnlySpan<byte> SubjectPublicKeyInfo => _spki;

    internal BigInteger N { get; }

    internal BigInteger E { get; }

    internal RSAParameters Parameters => new() { Modulus = _modulus, Exponent = _exponent };

    /// <summary>
    /// Imports PEM text: <c>-----BEGIN PUBLIC KEY-----</c> (SubjectPublicKeyInfo) or <c>-----BEGIN RSA PUBLIC KEY-----</c>
    /// (PKCS#1 RSAPublicKey). Uses the first PEM block in the text.
    /// </summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="key">The key, when the import succeeds.</param>
    /// <param name="failureReason">Why the import failed (for instance, a key shorter than 2048 bits), otherwise null.</param>
    public static bool TryImportPem(
        string? pem, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? failureReason) =>
        TryImportPem(pem, out key, out failureReason, out _);

    /// <summary>
    /// <see cref="TryImportPem(string?, out RsaPublicKey?, out string?)"/>, also telling whether the only problem is a
    /// modulus under <see cref="MinimumKeySizeBits"/> (a well-formed but weak key: the verifier's <c>weak_key</c>).
    /// </summary>
    internal static bool TryImportPem(
        string? pem, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? failureReason, out bool tooSmall)
    {
        key = null;
        tooSmall = false;
        if (pem is null || !PemEncoding.TryFind(pem, out var fields))
        {
            failureReason = "No PEM block was found.";
            return false;
        }

        var label = pem.AsSpan()[fields.Label];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var length) || length != der.Length)
        {
            failureReason = "The PEM body is not valid base64.";
            return false;
        }

        if (label.SequenceEqual("PUBLIC KEY"))
        {
            return TryImportCore(der, subjectPublicKeyInfo: true, out key, out failureReason, out tooSmall);
        }

        if (label.SequenceEqual("RSA PUBLIC KEY"))
        {
            return TryImportCore(der, subjectPublicKeyInfo: false, out key, out failureReason, out tooSmall);
        }

        failureReason = $"PEM label '{label}' is not PUBLIC KEY or RSA PUBLIC KEY.";
        return false;
    }

    /// <summary>
    /// <see cref="TryImportPem(string?, out RsaPublicKey?, out string?, out bool)"/> restricted to
    /// <c>-----BEGIN PUBLIC KEY-----</c> (SubjectPublicKeyInfo), the one form a traces/v1 document carries (proof-format §7.2).
    /// </summary>
    internal static bool TryImportSubjectPublicKeyInfoPem(
        string? pem, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? failureReason, out bool tooSmall)
    {
        if (pem is not null && PemEncoding.TryFind(pem, out var fields) && !pem.AsSpan()[fields.Label].SequenceEqual("PUBLIC KEY"))
        {
            key = null;
            tooSmall = false;
            failureReason = $"The PEM block is '{pem.AsSpan()[fields.Label]}', not the SubjectPublicKeyInfo 'PUBLIC KEY' that traces/v1 specifies.";
            return false;
        }

        return TryImportPem(pem, out key, out failureReason, out tooSmall);
    }

    /// <summary>Imports a DER SubjectPublicKeyInfo with the rsaEncryption algorithm (RFC 5280 §4.1, RFC 8017 A.1).</summary>
    /// <param name="spkiDer">The DER bytes; trailing data is rejected.</param>
    /// <param name="key">The key, when the import succeeds.</param>
    /// <param name="failureReason">Why the import failed, otherwise null.</param>
    public static bool TryImportSubjectPublicKeyInfo(
        ReadOnlySpan<byte> spkiDer, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? failureReason) =>
        TryImportCore(spkiDer, subjectPublicKeyInfo: true, out key, out failureReason, out _);

    /// <summary>Imports a DER PKCS#1 RSAPublicKey (RFC 8017 A.1.1).</summary>
    /// <param name="pkcs1Der">The DER bytes; trailing data is rejected.</param>
    /// <param name="key">The key, when the import succeeds.</param>
    /// <param name="failureReason">Why the import failed, otherwise null.</param>
    public static bool TryImportRsaPublicKey(
        ReadOnlySpan<byte> pkcs1Der, [NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? failureReason) =>
        TryImportCore(pkcs1Der, subjectPublicKeyInfo: false, out key, out failureReason, out _);

    /// <summary>Imports PEM text, throwing when it is not an acceptable RSA public key.</summary>
    /// <exception cref="ArgumentException">The text is not an RSA public key of at least 2048 bits; the message says why.</exception>
    public static RsaPublicKey ImportPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return TryImportPem(pem, out var key, out var reason) ? key : throw new ArgumentException(reason, nameof(pem));
    }

    /// <summary>Imports a DER SubjectPublicKeyInfo, throwing when it is not an acceptable RSA public key.</summary>
    /// <exception cref="ArgumentException">The bytes are not an RSA public key of at least 2048 bits; the message says why.</exception>
    public static RsaPublicKey ImportSubjectPublicKeyInfo(ReadOnlySpan<byte> spkiDer) =>
        TryImportSubjectPublicKeyInfo(spkiDer, out var key, out var reason) ? key : throw new ArgumentException(reason, nameof(spkiDer));

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="message"/> under <paramref name="scheme"/>.
    /// False for any invalid or malformed signature; never throws for bad input.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="scheme"/> is null.</exception>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, RsaSignatureScheme scheme) =>
        RsaVerifier.Verify(this, message, signature, scheme);

    /// <inheritdoc />
    public bool Equals(RsaPublicKey? other) => other is not null && _spki.AsSpan().SequenceEqual(other._spki);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RsaPublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => KeyId.GetHashCode();

    /// <summary>A readable form: key size and key id.</summary>
    public override string ToString() => $"RSA-{KeySizeBits} {KeyId}";

    private static bool TryImportCore(ReadOnlySpan<byte> der, bool subjectPublicKeyInfo, [NotNullWhen(true)] out RsaPublicKey? key,
        [NotNullWhen(false)] out string? failureReason, out bool tooSmall)
    {
        key = null;
        tooSmall = false;
        RSAParameters parameters;
        byte[] spki;
        try
        {
            using var rsa = RSA.Create();
            int read;
            if (subjectPublicKeyInfo)
            {
                rsa.ImportSubjectPublicKeyInfo(der, out read);
            }
            else
            {
                rsa.ImportRSAPublicKey(der, out read);
            }

            if (read != der.Length)
            {
                failureReason = $"{der.Length - read} bytes follow the key's DER encoding.";
                return false;
            }

            parameters = rsa.ExportParameters(includePrivateParameters: false);
            spki = rsa.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException ex)
        {
            failureReason = $"Not an RSA public key: {ex.Message}";
            return false;
        }

        var modulus = TrimLeadingZeros(parameters.Modulus ?? []);
        var exponent = TrimLeadingZeros(parameters.Exponent ?? []);
        var bits = modulus.Length == 0 ? 0 : (int)new BigInteger(modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
        if (bits < MinimumKeySizeBits)
        {
            tooSmall = true;
            failureReason = $"RSA keys must be at least {MinimumKeySizeBits} bits; this key has {bits} bits.";
            return false;
        }

        var e = new BigInteger(exponent, isUnsigned: true, isBigEndian: true);
        if (e < 3 || e.IsEven)
        {
            failureReason = $"The public exponent must be odd and at least 3; it is {e}.";
            return false;
        }

        key = new RsaPublicKey(spki, modulus, exponent, bits);
        failureReason = null;
        return true;
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return start == 0 ? value : value[start..];
    }
}
