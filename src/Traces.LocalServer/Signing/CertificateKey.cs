using System.Security.Cryptography;
using Traces.LocalServer.Proofs;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Signing;

/// <summary>The RSA-4096 RSASSA-PSS certificate key (proof-format §7.2, §8), with its published form.</summary>
internal sealed class CertificateKey : IDisposable
{
    public const int KeySizeInBits = 4096;

    private readonly RSA _rsa;

    public CertificateKey(RSA rsa)
    {
        if (rsa.KeySize != KeySizeInBits)
        {
            // A key file replaced by a weaker one must not quietly lower what the certificates are signed with.
            throw new CryptographicException($"The certificate key is RSA-{rsa.KeySize}; the server signs with RSA-{KeySizeInBits} only.");
        }

        _rsa = rsa;
        PublicKeyPem = rsa.ExportSubjectPublicKeyInfoPem();
        KeyId = Digest.Compute(rsa.ExportSubjectPublicKeyInfo()).ToString();
    }

    public string PublicKeyPem { get; }

    public string KeyId { get; }

    /// <summary>A new RSA-4096 key: about a second of CPU on a small machine (issue 14), so callers run it in the background.</summary>
    public static RSA Generate()
    {
        var rsa = RSA.Create(KeySizeInBits);
        // OpenSSL generates on first use: make that happen here, on the caller's (background) thread.
        _ = rsa.ExportParameters(includePrivateParameters: false);
        return rsa;
    }

    /// <summary><c>rsa-pss-sha256:</c> + hex of RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) over the statement message, §7.2.</summary>
    public string Sign(CertificateStatement statement) =>
        WireEncoding.FormatRsaPssSignature(_rsa.SignData(ProofPrimitives.CertificateMessage(statement), HashAlgorithmName.SHA256,
            RSASignaturePadding.Pss));

    public void Dispose() => _rsa.Dispose();
}
