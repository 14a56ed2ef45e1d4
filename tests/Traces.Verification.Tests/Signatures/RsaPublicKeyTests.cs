using System.Security.Cryptography;
using System.Text;
using Traces.Verification.Signatures;
using Traces.TestSupport;

namespace Traces.Verification.Tests.Signatures;

public class RsaPublicKeyTests
{
    private static string SentinelPem => File.ReadAllText(TestVectors.PathOf("novyx-anchors", "sentinel_public.pem"));

    [Fact]
    public void KeyId_OfSentinelKey_IsSha256OfTheSpkiDerInThePem()
    {
        // Independent computation: base64-decode the PEM body and hash it.
        var body = string.Concat(SentinelPem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
        var expected = Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(body)));

        var key = RsaPublicKey.ImportPem(SentinelPem);

        Assert.Equal(expected, key.KeyId.ToHex());
        Assert.Equal("sha256:f9ccd25461b9acf4e3cd4341fd65f2d6f2d499bd34eb0e7dbfa7a8ff0ba410c6", key.KeyId.ToString());
        Assert.Equal(4096, key.KeySizeBits);
        Assert.Equal(512, key.ModulusLength);
        Assert.Equal(Convert.FromBase64String(body), key.SubjectPublicKeyInfo.ToArray());
    }

    [Fact]
    public void ImportPem_OfPkcs1RsaPublicKey_GivesTheSameKeyAndKeyId()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(SentinelPem);
        var pkcs1Pem = rsa.ExportRSAPublicKeyPem();
        Assert.StartsWith("-----BEGIN RSA PUBLIC KEY-----", pkcs1Pem, StringComparison.Ordinal);

        var fromPkcs1 = RsaPublicKey.ImportPem(pkcs1Pem);

        Assert.Equal(RsaPublicKey.ImportPem(SentinelPem), fromPkcs1);
        Assert.Equal("sha256:f9ccd25461b9acf4e3cd4341fd65f2d6f2d499bd34eb0e7dbfa7a8ff0ba410c6", fromPkcs1.KeyId.ToString());
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(1536)]
    [InlineData(2040)]
    public void Import_WhenKeyIsShorterThan2048Bits_IsRejectedWithAReason(int bits)
    {
        using var rsa = RSA.Create(bits);

        Assert.False(RsaPublicKey.TryImportPem(rsa.ExportSubjectPublicKeyInfoPem(), out var key, out var reason));
        Assert.Null(key);
        Assert.Equal($"RSA keys must be at least 2048 bits; this key has {bits} bits.", reason);

        Assert.False(RsaPublicKey.TryImportPem(rsa.ExportRSAPublicKeyPem(), out _, out reason));
        Assert.Equal($"RSA keys must be at least 2048 bits; this key has {bits} bits.", reason);

        Assert.False(RsaPublicKey.TryImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _, out _));
        Assert.False(RsaPublicKey.TryImportRsaPublicKey(rsa.ExportRSAPublicKey(), out _, out _));
        var ex = Assert.Throws<ArgumentException>(() => RsaPublicKey.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo()));
        Assert.Contains("at least 2048 bits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OfA2048BitKey_Succeeds()
    {
        using var rsa = RSA.Create(2048);
        Assert.True(RsaPublicKey.TryImportPem(rsa.ExportSubjectPublicKeyInfoPem(), out var key, out var reason), reason);
        Assert.Equal(2048, key.KeySizeBits);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo())), key.KeyId.ToHex());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(65536)]
    public void Import_WhenExponentIsEvenOrOne_IsRejected(int exponent)
    {
        // Hand-built PKCS#1 RSAPublicKey { n, e }: platforms refuse to build such keys, and so must we (whichever
        // layer says no, the answer is false with a reason, not an exception).
        using var rsa = RSA.Create(2048);
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(rsa.ExportParameters(false).Modulus);
            writer.WriteInteger(exponent);
        }

        Assert.False(RsaPublicKey.TryImportRsaPublicKey(writer.Encode(), out var key, out var reason));
        Assert.Null(key);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMCowBQYDK2VwAyEAfU0Of2FTpptiQrUiq77mhf2kQg+INLEIw72uNp71Sfo=\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAfU0Of2FTpptiQrUiq77mhf2kQg+INLEIw72uNp71Sfo=\n-----END PUBLIC KEY-----\n")]
    public void TryImportPem_RejectsGarbageAndNonRsaKeysWithoutThrowing(string? pem)
    {
        Assert.False(RsaPublicKey.TryImportPem(pem, out var key, out var reason));
        Assert.Null(key);
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void TryImportSubjectPublicKeyInfo_WithTrailingBytes_IsRejected()
    {
        var der = RsaPublicKey.ImportPem(SentinelPem).SubjectPublicKeyInfo.ToArray();
        Assert.False(RsaPublicKey.TryImportSubjectPublicKeyInfo([.. der, 0x00], out _, out var reason));
        Assert.Equal("1 bytes follow the key's DER encoding.", reason);
        Assert.False(RsaPublicKey.TryImportSubjectPublicKeyInfo(der[..^1], out _, out _));
        Assert.False(RsaPublicKey.TryImportSubjectPublicKeyInfo(Encoding.ASCII.GetBytes("nope"), out _, out _));
    }
}
