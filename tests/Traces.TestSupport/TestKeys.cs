using System.Security.Cryptography;
using NSec.Cryptography;
using Traces.Verification.Bundles;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.TestSupport;

/// <summary>
/// The deterministic test keys of docs/test-vectors/keys: the Ed25519 seed of RFC 8032 §7.1 TEST 1 and an
/// RSA-4096 key generated once for tests. Public knowledge: never use them for anything else.
/// </summary>
public static class TestKeys
{
    private static readonly Lazy<Key> s_ed25519 = new(() => Key.Import(SignatureAlgorithm.Ed25519,
        Convert.FromHexString(File.ReadAllText(TestVectors.OwnVector("keys", "ed25519-test-seed.hex")).Trim()),
        KeyBlobFormat.RawPrivateKey));

    private static readonly Lazy<RSA> s_rsa = new(() =>
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(TestVectors.OwnVector("keys", "rsa-4096-test-private.pem")));
        return rsa;
    });

    /// <summary>The Ed25519 signing key (entries and seal events).</summary>
    public static Key Ed25519 => s_ed25519.Value;

    /// <summary>The RSA-4096 signing key (certificates).</summary>
    public static RSA Rsa => s_rsa.Value;

    /// <summary>The Ed25519 public key, raw.</summary>
    public static byte[] Ed25519PublicRaw => Ed25519.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    /// <summary>The RSA public key as SubjectPublicKeyInfo PEM.</summary>
    public static string RsaPublicPem => Rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>The Ed25519 key id (proof-format §8).</summary>
    public static string Ed25519KeyId => Ed25519PublicKey.TryImport(Ed25519PublicRaw, out var key) ? key.KeyId.ToString() : throw new InvalidOperationException();

    /// <summary>The RSA key id (proof-format §8).</summary>
    public static string RsaKeyId => RsaPublicKey.ImportPem(RsaPublicPem).KeyId.ToString();

    /// <summary>A policy pinning both test keys.</summary>
    public static TrustPolicy TrustBoth() => TrustPolicy.CreateBuilder()
        .AddEd25519PublicKey(WireEncoding.FormatEd25519PublicKey(Ed25519PublicRaw))
        .AddRsaPublicKey(RsaPublicPem)
        .Build();
}
