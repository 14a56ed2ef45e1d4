using System.Security.Cryptography;
using Traces.Verification.Signatures;

namespace Traces.Verification.Tests.Signatures;

public class RsaVerifierTests
{
    private const string Pkcs1File = "rsa_signature_4096_sha256_test.json";
    private const string Pss4096File = "rsa_pss_4096_sha256_mgf1_32_test.json";
    private const string Pss2048File = "rsa_pss_2048_sha256_mgf1_32_test.json";
    private const string PssMiscFile = "rsa_pss_misc_test.json";

    public static TheoryData<int> Pkcs1Cases => WycheproofFile.TcIds(Pkcs1File);

    public static TheoryData<int> Pss4096Cases => WycheproofFile.TcIds(Pss4096File);

    public static TheoryData<int> Pss2048Cases => WycheproofFile.TcIds(Pss2048File);

    public static TheoryData<int> PssMiscCases => WycheproofFile.TcIds(PssMiscFile);

    [Theory]
    [InlineData(Pkcs1File, 258, 4096)]
    [InlineData(Pss4096File, 108, 4096)]
    [InlineData(Pss2048File, 108, 2048)]
    [InlineData(PssMiscFile, 150, 2048)]
    public void Wycheproof_FilesHaveOnlyKeysOfAtLeast2048Bits(string file, int cases, int keySize)
    {
        // No file we run has a group with a key under 2048 bits, so no case is skipped for that reason.
        var loaded = WycheproofFile.Load(file);
        Assert.Equal(cases, loaded.NumberOfTests);
        Assert.Equal(cases, loaded.Cases.Count);
        Assert.All(loaded.Cases, c => Assert.Equal(keySize, c.Group.KeySize));
        Assert.All(loaded.Cases.Select(c => c.Group).Distinct(), g => Assert.Equal(keySize, ImportGroupKey(g).KeySizeBits));
    }

    [Theory]
    [MemberData(nameof(Pkcs1Cases))]
    public void VerifyPkcs1_WycheproofCase_GivesTheStatedResult(int tcId)
    {
        var c = WycheproofFile.Load(Pkcs1File).ById[tcId];
        var key = ImportGroupKey(c.Group);
        var scheme = RsaSignatureScheme.Pkcs1v15(WycheproofFile.HashName(c.Group.Sha!));

        var verified = key.Verify(c.Msg, c.Sig, scheme);

        AssertResult(c, verified);
        Assert.Equal(verified, RsaVerifier.Verify(key, c.Msg, c.Sig, scheme));
    }

    [Fact]
    public void VerifyPkcs1_TheAcceptableCase_IsRejected()
    {
        // The one "acceptable" case in the file; document which way it goes.
        var c = Assert.Single(WycheproofFile.Load(Pkcs1File).Cases, c => c.Result == "acceptable");
        Assert.False(ImportGroupKey(c.Group).Verify(c.Msg, c.Sig, RsaSignatureScheme.Pkcs1v15(HashAlgorithmName.SHA256)), c.ToString());
    }

    [Theory]
    [MemberData(nameof(Pss4096Cases))]
    public void VerifyPss4096_FrameworkAndEmsaPssPaths_AgreeWithWycheproof(int tcId) => AssertPssPathsAgree(Pss4096File, tcId);

    [Theory]
    [MemberData(nameof(Pss2048Cases))]
    public void VerifyPss2048_FrameworkAndEmsaPssPaths_AgreeWithWycheproof(int tcId) => AssertPssPathsAgree(Pss2048File, tcId);

    [Theory]
    [MemberData(nameof(PssMiscCases))]
    public void VerifyPssMisc_WithTheGroupsSaltAndHashes_Verifies(int tcId)
    {
        var c = WycheproofFile.Load(PssMiscFile).ById[tcId];
        var hash = WycheproofFile.HashName(c.Group.Sha!);
        var mgf1Hash = WycheproofFile.HashName(c.Group.MgfSha!);
        var sLen = c.Group.SLen!.Value;
        Assert.Equal("valid", c.Result);

        if (c.Group.Sha == "SHA-224" || c.Group.MgfSha == "SHA-224")
        {
            // .NET has no SHA-224, and we do not ship our own: such schemes are refused when they are built, and the
            // internal EMSA-PSS path answers false rather than throwing.
            Assert.Throws<ArgumentException>(() => RsaSignatureScheme.Pss(hash, sLen, mgf1Hash));
            Assert.False(RsaVerifier.VerifyPss(ImportGroupKey(c.Group), c.Msg, c.Sig, hash, mgf1Hash, sLen), c.ToString());
            return;
        }

        var key = ImportGroupKey(c.Group);
        Assert.True(RsaVerifier.VerifyPss(key, c.Msg, c.Sig, hash, mgf1Hash, sLen), $"{c}: EMSA-PSS with sLen {sLen}");
        Assert.True(key.Verify(c.Msg, c.Sig, RsaSignatureScheme.Pss(hash, sLen, mgf1Hash)), $"{c}: public API with sLen {sLen}");
        Assert.True(key.Verify(c.Msg, c.Sig, RsaSignatureScheme.Pss(hash, PssSaltLength.Recover, mgf1Hash)), $"{c}: recovered salt");

        // A different stated salt length must fail (sLen ± 1), as must swapping the MGF1 hash when it differs.
        Assert.False(key.Verify(c.Msg, c.Sig, RsaSignatureScheme.Pss(hash, sLen + 1, mgf1Hash)), $"{c}: sLen + 1");
        if (sLen > 0)
        {
            Assert.False(key.Verify(c.Msg, c.Sig, RsaSignatureScheme.Pss(hash, sLen - 1, mgf1Hash)), $"{c}: sLen - 1");
        }

        if (hash != mgf1Hash)
        {
            Assert.False(key.Verify(c.Msg, c.Sig, RsaSignatureScheme.Pss(hash, sLen, hash)), $"{c}: wrong MGF1 hash");
        }
    }

    [Fact]
    public void VerifyPssMisc_SupportedAndUnsupportedGroups_AreCounted()
    {
        var cases = WycheproofFile.Load(PssMiscFile).Cases;
        Assert.Equal(96, cases.Count(c => c.Group.Sha != "SHA-224" && c.Group.MgfSha != "SHA-224"));
        Assert.Equal(54, cases.Count(c => c.Group.Sha == "SHA-224" || c.Group.MgfSha == "SHA-224"));
    }

    [Fact]
    public void Verify_WhenSignatureLengthOrRangeIsWrong_ReturnsFalse()
    {
        var c = WycheproofFile.Load(Pss2048File).Cases.First(c => c.Result == "valid");
        var key = ImportGroupKey(c.Group);
        var scheme = RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 32);
        var custom = RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Recover);
        Assert.True(key.Verify(c.Msg, c.Sig, scheme));
        Assert.True(key.Verify(c.Msg, c.Sig, custom));

        byte[][] bad =
        [
            [],
            c.Sig[..^1],
            [0x00, .. c.Sig],
            [.. c.Sig, 0x00],
            Enumerable.Repeat((byte)0xFF, key.ModulusLength).ToArray(), // s ≥ n
            key.ModulusBytes(),                                          // s = n
            new byte[key.ModulusLength],                                 // s = 0
        ];
        foreach (var signature in bad)
        {
            Assert.False(key.Verify(c.Msg, signature, scheme));
            Assert.False(key.Verify(c.Msg, signature, custom));
            Assert.False(key.Verify(c.Msg, signature, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Maximum)));
            Assert.False(key.Verify(c.Msg, signature, RsaSignatureScheme.Pkcs1v15(HashAlgorithmName.SHA256)));
        }
    }

    [Fact]
    public void Pss_RejectsNegativeSaltLengthsOtherThanTheSpecialValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, -3));
        Assert.Equal(PssSaltLength.Recover, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Recover).SaltLength);
        Assert.Throws<ArgumentException>(() => RsaSignatureScheme.Pkcs1v15(HashAlgorithmName.MD5));
        Assert.Equal("PSS(SHA256, MGF1-SHA256, salt=max)", RsaSignatureScheme.PssSha256MaximumSalt.ToString());
    }

    [Fact]
    public void Mgf1_MatchesAnIndependentComputation()
    {
        // MGF1-SHA-256("seed", 70) = SHA-256(seed||00000000) || SHA-256(seed||00000001) || SHA-256(seed||00000002)[..6].
        var seed = "seed"u8.ToArray();
        var expected = new List<byte>();
        for (byte i = 0; i < 3; i++)
        {
            expected.AddRange(SHA256.HashData([.. seed, 0, 0, 0, i]));
        }

        var mask = new byte[70];
        RsaVerifier.Mgf1(HashAlgorithmName.SHA256, seed, mask);
        Assert.Equal(expected.Take(70), mask);
    }

    [Fact]
    public void Verify_InParallel_GivesTheSameAnswers()
    {
        var cases = WycheproofFile.Load(Pss2048File).Cases;
        var key = ImportGroupKey(cases[0].Group);
        var max = RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 32);
        var recover = RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Recover);
        var failures = 0;
        Parallel.For(0, cases.Count * 4, i =>
        {
            var c = cases[i % cases.Count];
            var scheme = i % 2 == 0 ? max : recover;
            if (c.Result == "valid" && !key.Verify(c.Msg, c.Sig, scheme))
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }

    internal static RsaPublicKey ImportGroupKey(WycheproofGroup group)
    {
        Assert.True(RsaPublicKey.TryImportPem(group.PublicKeyPem, out var fromPem, out var reason), reason);
        Assert.True(RsaPublicKey.TryImportSubjectPublicKeyInfo(group.PublicKeyDer, out var fromDer, out reason), reason);
        Assert.True(RsaPublicKey.TryImportRsaPublicKey(group.PublicKeyAsn, out var fromAsn, out reason), reason);
        Assert.Equal(fromPem, fromDer);
        Assert.Equal(fromPem, fromAsn);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(group.PublicKeyDer!)), fromPem.KeyId.ToHex());
        return fromPem;
    }

    private static void AssertPssPathsAgree(string file, int tcId)
    {
        var c = WycheproofFile.Load(file).ById[tcId];
        var key = ImportGroupKey(c.Group);
        Assert.Equal(("SHA-256", "SHA-256", 32), (c.Group.Sha, c.Group.MgfSha, c.Group.SLen));

        // Public API with salt = hLen routes to .NET's RSASignaturePadding.Pss.
        var framework = key.Verify(c.Msg, c.Sig, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 32));
        var frameworkDirect = VerifyWithDotNet(key, c.Msg, c.Sig);

        // Our RFC 8017 §9.1.2 implementation with the explicit salt length.
        var emsaPss = RsaVerifier.VerifyPss(key, c.Msg, c.Sig, HashAlgorithmName.SHA256, HashAlgorithmName.SHA256, 32);

        AssertResult(c, framework);
        AssertResult(c, emsaPss);
        Assert.True(framework == emsaPss && framework == frameworkDirect, $"{c}: framework {framework}, direct {frameworkDirect}, EMSA-PSS {emsaPss}");

        if (c.Result == "valid")
        {
            Assert.True(key.Verify(c.Msg, c.Sig, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Recover)), $"{c}: recovered salt");
        }
    }

    private static bool VerifyWithDotNet(RsaPublicKey key, byte[] message, byte[] signature)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
        try
        {
            return rsa.VerifyData(message, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void AssertResult(WycheproofCase c, bool verified)
    {
        switch (c.Result)
        {
            case "valid":
                Assert.True(verified, $"{c} must verify");
                break;
            case "invalid":
                Assert.False(verified, $"{c} must not verify");
                break;
            case "acceptable":
                break; // either verdict; reaching here means no exception
            default:
                Assert.Fail($"{c}: unexpected result '{c.Result}'");
                break;
        }
    }
}

internal static class RsaPublicKeyTestExtensions
{
    public static byte[] ModulusBytes(this RsaPublicKey key)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.SubjectPublicKeyInfo, out _);
        return rsa.ExportParameters(false).Modulus!;
    }
}
