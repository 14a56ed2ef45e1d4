using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification.Tests.Trust;

public class TrustPolicyBuilderTests
{
    private static readonly string s_ed25519Hex = Convert.ToHexStringLower(TestKeys.Ed25519PublicRaw);

    public static TheoryData<string> Ed25519Forms => new(
        "ed25519_pk:" + s_ed25519Hex,
        s_ed25519Hex,
        "  ed25519_pk:" + s_ed25519Hex + "\n",
        TestKeys.Ed25519.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText).Select(b => (char)b).Aggregate("", (s, c) => s + c));

    [Theory]
    [MemberData(nameof(Ed25519Forms))]
    public void AddEd25519PublicKey_EveryForm_PinsTheTestKeyAndVerifies(string form)
    {
        var viaTyped = TrustPolicy.CreateBuilder().AddEd25519PublicKey(form).AddRsaPublicKey(TestKeys.RsaPublicPem).Build();
        var viaShape = TrustPolicy.CreateBuilder().AddKey(form).AddKey(TestKeys.RsaPublicPem).Build();

        foreach (var trust in new[] { viaTyped, viaShape })
        {
            Assert.Equal(new[] { TestKeys.Ed25519KeyId, TestKeys.RsaKeyId }.Order(StringComparer.Ordinal), trust.PinnedKeyIds);
            Assert.Equal(Verdict.Valid, new BundleVerifier(trust).Verify(VectorSet.Small).Verdict);
        }
    }

    [Fact]
    public void AddEd25519PublicKey_RawBytes_Pins()
    {
        var trust = TrustPolicy.CreateBuilder().AddEd25519PublicKey(TestKeys.Ed25519PublicRaw).Build();

        Assert.Equal([TestKeys.Ed25519KeyId], trust.PinnedKeyIds);
    }

    [Fact]
    public void AddKeyId_BothKeys_VerifiesThroughTheCarriedKeys()
    {
        var trust = TrustPolicy.CreateBuilder().AddKey(TestKeys.Ed25519KeyId).AddKeyId(TestKeys.RsaKeyId).Build();

        Assert.Equal(Verdict.Valid, new BundleVerifier(trust).Verify(VectorSet.Small).Verdict);
    }

    [Fact]
    public void AddKeyId_OfAnotherKey_LeavesTheBundleUntrusted()
    {
        var trust = TrustPolicy.CreateBuilder().AddKeyId("sha256:" + new string('0', 64)).AddRsaPublicKey(TestKeys.RsaPublicPem).Build();

        var report = new BundleVerifier(trust).Verify(VectorSet.Small);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
    }

    [Fact]
    public void FromPublishedKeys_TestKeySet_PinsBoth()
    {
        var trust = TrustPolicy.FromPublishedKeys(VectorSet.PublicKeys());

        Assert.Equal(new[] { TestKeys.Ed25519KeyId, TestKeys.RsaKeyId }.Order(StringComparer.Ordinal), trust.PinnedKeyIds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void FromPublishedKeys_KeyIdNotMatchingItsKey_Throws(int which)
    {
        var keys = VectorSet.PublicKeys().Keys!.ToList();
        keys[which] = new PublishedKey { KeyId = "sha256:" + new string('a', 64), Algorithm = keys[which].Algorithm, PublicKey = keys[which].PublicKey };

        Assert.Throws<ArgumentException>(() => TrustPolicy.FromPublishedKeys(new PublishedKeySet { Keys = keys }));
    }

    [Fact]
    public void FromPublishedKeys_UnknownAlgorithm_Throws()
    {
        var set = new PublishedKeySet { Keys = [new PublishedKey { KeyId = TestKeys.RsaKeyId, Algorithm = "rsa-pkcs1-sha256", PublicKey = TestKeys.RsaPublicPem }] };

        Assert.Throws<ArgumentException>(() => TrustPolicy.FromPublishedKeys(set));
    }

    [Fact]
    public void AddRsaPublicKey_1024Bits_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => TrustPolicy.CreateBuilder().AddRsaPublicKey(AttackerKeys.WeakRsa1024PublicPem));
        Assert.Contains("2048", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TrustPolicy.CreateBuilder().AddKey(AttackerKeys.WeakRsa1024PublicPem));
    }

    [Theory]
    [InlineData("ed25519_pk:00")]
    [InlineData("sha256:XYZ")]
    [InlineData("not a key")]
    public void AddKey_Garbage_Throws(string key) =>
        Assert.Throws<ArgumentException>(() => TrustPolicy.CreateBuilder().AddKey(key));

    [Fact]
    public void NoTrust_IsEmpty_AndNeverValid()
    {
        Assert.True(TrustPolicy.None.IsEmpty);
        Assert.Equal(Verdict.Untrusted, new BundleVerifier(TrustPolicy.None).Verify(VectorSet.Small).Verdict);
    }
}
