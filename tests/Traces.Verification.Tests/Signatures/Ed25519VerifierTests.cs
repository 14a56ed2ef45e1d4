using System.Numerics;
using System.Security.Cryptography;
using NSec.Cryptography;
using Traces.Verification.Signatures;

namespace Traces.Verification.Tests.Signatures;

public class Ed25519VerifierTests
{
    private const string WycheproofFileName = "ed25519_test.json";

    // L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032 §5.1).
    private static readonly BigInteger s_l = BigInteger.Pow(2, 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    /// <summary>RFC 8032 §7.1: TEST 1, TEST 2, TEST 3 and TEST SHA(abc) — secret key, public key, message, signature.</summary>
    public static TheoryData<string, string, string, string, string> Rfc8032Vectors => new()
    {
        {
            "TEST 1",
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "TEST 2",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "TEST 3",
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
        {
            "TEST SHA(abc)",
            "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
            "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
        },
    };

    public static TheoryData<int> WycheproofCases => WycheproofFile.TcIds(WycheproofFileName);

    [Fact]
    public void Wycheproof_FileHasTheExpectedCases()
    {
        var file = WycheproofFile.Load(WycheproofFileName);
        Assert.Equal(151, file.NumberOfTests);
        Assert.Equal(151, file.Cases.Count);
        Assert.Equal(88, file.Cases.Count(c => c.Result == "valid"));
        Assert.Equal(63, file.Cases.Count(c => c.Result == "invalid"));
        Assert.DoesNotContain(file.Cases, c => c.Result == "acceptable");
    }

    [Theory]
    [MemberData(nameof(WycheproofCases))]
    public void Verify_WycheproofCase_GivesTheStatedResult(int tcId)
    {
        var c = WycheproofFile.Load(WycheproofFileName).ById[tcId];
        Assert.True(Ed25519PublicKey.TryImport(c.Group.RawPublicKey, out var key), $"{c}: raw key import failed");
        Assert.True(Ed25519PublicKey.TryImportPem(c.Group.PublicKeyPem, out var fromPem), $"{c}: PEM key import failed");
        Assert.Equal(key, fromPem);
        Assert.True(Ed25519PublicKey.TryImportSubjectPublicKeyInfo(c.Group.PublicKeyDer, out var fromDer), $"{c}: DER key import failed");
        Assert.Equal(key, fromDer);

        var verified = key.Verify(c.Msg, c.Sig);

        switch (c.Result)
        {
            case "valid":
                Assert.True(verified, $"{c} must verify");
                break;
            case "invalid":
                Assert.False(verified, $"{c} must not verify");
                break;
            default:
                Assert.Fail($"{c}: unexpected result '{c.Result}'");
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Verify_Rfc8032Vector_Verifies(string name, string secretHex, string publicHex, string messageHex, string signatureHex)
    {
        Assert.True(Ed25519PublicKey.TryImport(Convert.FromHexString(publicHex), out var key), name);
        var message = Convert.FromHexString(messageHex);
        var signature = Convert.FromHexString(signatureHex);

        Assert.True(key.Verify(message, signature), name);
        Assert.True(Ed25519Verifier.Verify(key, message, signature), name);

        // The vector is self-consistent: the secret key derives the public key and (deterministically) the signature.
        using var secret = Key.Import(SignatureAlgorithm.Ed25519, Convert.FromHexString(secretHex), KeyBlobFormat.RawPrivateKey);
        Assert.Equal(publicHex, Convert.ToHexStringLower(secret.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        Assert.Equal(signatureHex, Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(secret, message)));

        // And one changed message bit breaks it.
        var tampered = message.Length == 0 ? [0x00] : message.ToArray();
        tampered[0] ^= message.Length == 0 ? (byte)0 : (byte)1;
        Assert.False(key.Verify(tampered, signature), name);
    }

    [Fact]
    public void Rfc8032ShaAbcMessage_IsSha512OfAbc() =>
        Assert.Equal(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            Convert.ToHexStringLower(SHA512.HashData("abc"u8)));

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Verify_WhenSIsReplacedBySPlusL_Rejects(string name, string secretHex, string publicHex, string messageHex, string signatureHex)
    {
        _ = secretHex;
        Assert.True(Ed25519PublicKey.TryImport(Convert.FromHexString(publicHex), out var key));
        var signature = Convert.FromHexString(signatureHex);
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: false);
        Assert.True(s < s_l, name);

        var malleated = signature.ToArray();
        var sPlusL = (s + s_l).ToByteArray(isUnsigned: true, isBigEndian: false);
        Array.Clear(malleated, 32, 32);
        sPlusL.CopyTo(malleated, 32); // S + L < 2^254, so it fits in 32 bytes

        Assert.False(Ed25519Verifier.IsCanonicalScalar(malleated.AsSpan(32)), name);
        Assert.False(key.Verify(Convert.FromHexString(messageHex), malleated), name);
    }

    [Fact]
    public void IsCanonicalScalar_AcceptsExactlyTheScalarsBelowL()
    {
        byte[] Le(BigInteger v)
        {
            var bytes = new byte[32];
            v.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
            return bytes;
        }

        Assert.True(Ed25519Verifier.IsCanonicalScalar(Le(BigInteger.Zero)));
        Assert.True(Ed25519Verifier.IsCanonicalScalar(Le(s_l - 1)));
        Assert.False(Ed25519Verifier.IsCanonicalScalar(Le(s_l)));
        Assert.False(Ed25519Verifier.IsCanonicalScalar(Le(s_l + 1)));
        Assert.False(Ed25519Verifier.IsCanonicalScalar(Le(BigInteger.Pow(2, 253))));
        Assert.False(Ed25519Verifier.IsCanonicalScalar(new byte[31]));
        Assert.Equal(
            "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
            Convert.ToHexStringLower(Le(s_l)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(128)]
    public void Verify_WhenSignatureLengthIsWrong_ReturnsFalse(int length)
    {
        Assert.True(Ed25519PublicKey.TryImport(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), out var key));
        var valid = Convert.FromHexString(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        var signature = new byte[length];
        valid.AsSpan(0, Math.Min(length, 64)).CopyTo(signature);
        Assert.False(key.Verify([], signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void TryImport_WhenRawKeyLengthIsWrong_ReturnsFalse(int length)
    {
        Assert.False(Ed25519PublicKey.TryImport(new byte[length], out var key));
        Assert.Null(key);
    }

    [Fact]
    public void KeyId_IsSha256OfTheRawKey()
    {
        Assert.True(Ed25519PublicKey.TryImport(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), out var key));
        Assert.Equal("sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9", key.KeyId.ToString());
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(key.RawBytes));
    }

    [Fact]
    public void TryImportPem_ReadsTheRawKeyFromSpki()
    {
        const string pem = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAfU0Of2FTpptiQrUiq77mhf2kQg+INLEIw72uNp71Sfo=\n-----END PUBLIC KEY-----\n";
        Assert.True(Ed25519PublicKey.TryImportPem(pem, out var key));
        Assert.Equal("7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa", Convert.ToHexStringLower(key.RawBytes));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a pem")]
    // Right body, wrong label.
    [InlineData("-----BEGIN RSA PUBLIC KEY-----\nMCowBQYDK2VwAyEAfU0Of2FTpptiQrUiq77mhf2kQg+INLEIw72uNp71Sfo=\n-----END RSA PUBLIC KEY-----\n")]
    // X25519 (OID 1.3.101.110) instead of Ed25519 (1.3.101.112).
    [InlineData("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAfU0Of2FTpptiQrUiq77mhf2kQg+INLEIw72uNp71Sfo=\n-----END PUBLIC KEY-----\n")]
    // Not Ed25519: the start of an rsaEncryption SubjectPublicKeyInfo.
    [InlineData("-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALRiMLAh9iimur8VA7qVvdqxevEuUkW4K+2KdMXmnQbG9Aa7k7eBjK1S+0LYmVjPKlJGNXHDGuy5Fw/d7rjVJ0BLB+ubPK8iA==\n-----END PUBLIC KEY-----\n")]
    public void TryImportPem_RejectsOtherKeysAndGarbage(string? pem)
    {
        Assert.False(Ed25519PublicKey.TryImportPem(pem, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void Verify_InParallel_GivesTheSameAnswers()
    {
        var file = WycheproofFile.Load(WycheproofFileName);
        var keys = file.Cases.Select(c => Convert.ToHexString(c.Group.RawPublicKey!)).Distinct().ToDictionary(
            k => k, k => Ed25519PublicKey.TryImport(Convert.FromHexString(k), out var key) ? key : throw new InvalidOperationException());
        var expected = file.Cases.Select(c => c.Result == "valid").ToArray();
        var actual = new bool[expected.Length];
        Parallel.For(0, expected.Length * 8, i =>
        {
            var c = file.Cases[i % expected.Length];
            var ok = keys[Convert.ToHexString(c.Group.RawPublicKey!)].Verify(c.Msg, c.Sig);
            if (ok != expected[i % expected.Length])
            {
                throw new InvalidOperationException($"{c}: parallel verification gave {ok}");
            }

            actual[i % expected.Length] = ok;
        });
        Assert.Equal(expected, actual);
    }
}
