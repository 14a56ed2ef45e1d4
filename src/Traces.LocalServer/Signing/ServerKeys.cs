using System.Security.Cryptography;
using NSec.Cryptography;
using Traces.LocalServer.Proofs;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Signing;

/// <summary>
/// The server's two signing keys (proof-format §6–§8): Ed25519 for entries and seal events, RSA-4096 RSASSA-PSS for
/// certificates. Generated on first start and kept in <c>&lt;data&gt;/keys</c> so bundles stay verifiable after a restart.
/// </summary>
internal sealed class ServerKeys : IDisposable
{
    public const string KeysFolder = "keys";
    public const string Ed25519FileName = "ed25519.key";
    public const string RsaFileName = "rsa-4096.pem";

    private readonly Key _ed25519;
    private readonly RSA _rsa;

    private ServerKeys(Key ed25519, RSA rsa)
    {
        _ed25519 = ed25519;
        _rsa = rsa;
        var rawPublic = ed25519.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Ed25519PublicKey = WireEncoding.FormatEd25519PublicKey(rawPublic);
        Ed25519KeyId = Digest.Compute(rawPublic).ToString();
        RsaPublicKeyPem = rsa.ExportSubjectPublicKeyInfoPem();
        RsaKeyId = Digest.Compute(rsa.ExportSubjectPublicKeyInfo()).ToString();
    }

    public string Ed25519PublicKey { get; }

    public string Ed25519KeyId { get; }

    public string RsaPublicKeyPem { get; }

    public string RsaKeyId { get; }

    /// <summary>Loads the keys from <paramref name="dataDirectory"/>, generating and saving any that are missing.</summary>
    public static ServerKeys LoadOrCreate(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, KeysFolder);
        SecureFiles.CreatePrivateDirectory(folder);

        var edPath = Path.Combine(folder, Ed25519FileName);
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        Key ed25519;
        if (File.Exists(edPath))
        {
            ed25519 = Key.Import(SignatureAlgorithm.Ed25519, File.ReadAllBytes(edPath), KeyBlobFormat.RawPrivateKey, creation);
        }
        else
        {
            ed25519 = Key.Create(SignatureAlgorithm.Ed25519, creation);
            SecureFiles.WritePrivateFile(edPath, ed25519.Export(KeyBlobFormat.RawPrivateKey));
        }

        var rsaPath = Path.Combine(folder, RsaFileName);
        var rsa = RSA.Create();
        if (File.Exists(rsaPath))
        {
            rsa.ImportFromPem(File.ReadAllText(rsaPath));
        }
        else
        {
            rsa.KeySize = 4096;
            SecureFiles.WritePrivateFile(rsaPath, System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
        }

        return new ServerKeys(ed25519, rsa);
    }

    /// <summary><c>ed25519:</c> + hex of the signature over SignedMessage("traces/v1/event", content digest), §6.</summary>
    public string SignEntry(Digest contentHash) =>
        WireEncoding.FormatEd25519Signature(SignatureAlgorithm.Ed25519.Sign(_ed25519, ProofPrimitives.EventMessage(contentHash)));

    /// <summary><c>rsa-pss-sha256:</c> + hex of RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt) over the statement message, §7.2.</summary>
    public string SignCertificate(CertificateStatement statement) =>
        WireEncoding.FormatRsaPssSignature(_rsa.SignData(ProofPrimitives.CertificateMessage(statement), HashAlgorithmName.SHA256,
            RSASignaturePadding.Pss));

    /// <summary>The published key set of <c>GET /v1/traces/public-key</c>.</summary>
    public PublishedKeySet ToPublishedKeySet() => new()
    {
        PublicKey = RsaPublicKeyPem,
        Algorithm = PublishedKey.RsaPssSha256,
        Keys =
        [
            new PublishedKey { KeyId = Ed25519KeyId, Algorithm = PublishedKey.Ed25519, PublicKey = Ed25519PublicKey, Use = "entries" },
            new PublishedKey { KeyId = RsaKeyId, Algorithm = PublishedKey.RsaPssSha256, PublicKey = RsaPublicKeyPem, Use = "certificates" },
        ],
    };

    public void Dispose()
    {
        _ed25519.Dispose();
        _rsa.Dispose();
    }
}
