using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification.Tests.Trust;

/// <summary><see cref="TrustPolicy.FromFile"/> and <see cref="TrustPolicyBuilder.AddKeyFile"/>: the files people keep keys in.</summary>
public sealed class TrustPolicyFileTests : IDisposable
{
    private static readonly string[] s_bothKeyIds = [TestKeys.Ed25519KeyId, TestKeys.RsaKeyId];

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("traces-trust-file-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void FromFile_PublishedKeySet_PinsBothKeysAndTheSmallBundleIsValid()
    {
        var trust = TrustPolicy.FromFile(TestVectors.OwnVector("public-keys.json"));

        Assert.Equal(s_bothKeyIds.Order(StringComparer.Ordinal), trust.PinnedKeyIds);
        Assert.Equal(Verdict.Valid, new BundleVerifier(trust).Verify(VectorSet.Small).Verdict);
    }

    [Fact]
    public void FromFile_RsaPem_PinsOnlyTheCertificateKey()
    {
        var trust = TrustPolicy.FromFile(TestVectors.OwnVector("keys", "rsa-4096-test-public.pem"));

        Assert.Equal([TestKeys.RsaKeyId], trust.PinnedKeyIds);
        Assert.Equal(Verdict.Untrusted, new BundleVerifier(trust).Verify(VectorSet.Small).Verdict);
    }

    [Fact]
    public void FromFile_TwoPemBlocksInOneFile_PinsBoth()
    {
        var path = Write("both.pem", Ed25519Pem() + "\n" + TestKeys.RsaPublicPem + "\n");

        var trust = TrustPolicy.FromFile(path);

        Assert.Equal(s_bothKeyIds.Order(StringComparer.Ordinal), trust.PinnedKeyIds);
        Assert.Equal(Verdict.Valid, new BundleVerifier(trust).Verify(VectorSet.Small).Verdict);
    }

    [Fact]
    public void FromFile_NovyxSingleTopLevelKey_PinsIt()
    {
        var path = Write("novyx.json", $$"""{"public_key": "ed25519_pk:{{Convert.ToHexStringLower(TestKeys.Ed25519PublicRaw)}}", "algorithm": "ed25519"}""");

        Assert.Equal([TestKeys.Ed25519KeyId], TrustPolicy.FromFile(path).PinnedKeyIds);
    }

    [Fact]
    public void AddKeyFile_CombinesWithOtherPins()
    {
        var trust = TrustPolicy.CreateBuilder()
            .AddKeyFile(TestVectors.OwnVector("keys", "rsa-4096-test-public.pem"))
            .AddKey(TestKeys.Ed25519KeyId)
            .Build();

        Assert.Equal(Verdict.Valid, new BundleVerifier(trust).Verify(VectorSet.Small).Verdict);
    }

    [Fact]
    public void AddKeyFileContents_PinsWhatAddKeyFilePins_FromBytesReadOnce()
    {
        var path = Write("both.pem", Ed25519Pem() + "\n" + TestKeys.RsaPublicPem + "\n");
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. File.ReadAllBytes(path)];

        var fromBytes = TrustPolicy.CreateBuilder().AddKeyFileContents(withBom, "both.pem").Build();

        Assert.Equal(TrustPolicy.FromFile(path).PinnedKeyIds, fromBytes.PinnedKeyIds);
        Assert.Equal(s_bothKeyIds.Order(StringComparer.Ordinal), fromBytes.PinnedKeyIds);
        var refused = Assert.Throws<InvalidDataException>(() => TrustPolicy.CreateBuilder().AddKeyFileContents("not a key"u8, "notes.txt"));
        Assert.StartsWith("notes.txt holds no usable public key: ", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_PrivateKeyPem_IsRefusedNamingTheBlock()
    {
        var path = TestVectors.OwnVector("keys", "rsa-4096-test-private.pem");

        var exception = Assert.Throws<InvalidDataException>(() => TrustPolicy.FromFile(path));

        Assert.Equal($"{path} holds no usable public key: A 'PRIVATE KEY' PEM block is not a public key; a trust file holds PUBLIC KEY blocks only.", exception.Message);
    }

    [Fact]
    public void AddKeyFile_SecondBlockUnusable_PinsNothingFromTheFile()
    {
        var path = Write("mixed.pem", Ed25519Pem() + "\n" + AttackerKeys.WeakRsa1024PublicPem);
        var builder = TrustPolicy.CreateBuilder().AddKeyId(TestKeys.RsaKeyId);

        var exception = Assert.Throws<InvalidDataException>(() => builder.AddKeyFile(path));

        Assert.StartsWith($"{path} holds no usable public key: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2048", exception.Message, StringComparison.Ordinal);
        Assert.Equal([TestKeys.RsaKeyId], builder.Build().PinnedKeyIds);
    }

    [Fact]
    public void FromFile_KeySetWithoutKeys_IsRefused()
    {
        var path = Write("empty.json", """{"keys": []}""");

        var exception = Assert.Throws<InvalidDataException>(() => TrustPolicy.FromFile(path));

        Assert.Equal($$"""{{path}} holds no usable public key: The key set has no keys: expected {"keys": [{"key_id", "algorithm", "public_key"}]}.""", exception.Message);
    }

    [Fact]
    public void FromFile_KeyIdNotMatchingItsKey_IsRefused()
    {
        var json = File.ReadAllText(TestVectors.OwnVector("public-keys.json"))
            .Replace(TestKeys.Ed25519KeyId, "sha256:" + new string('a', 64), StringComparison.Ordinal);
        var path = Write("wrong-id.json", json);

        var exception = Assert.Throws<InvalidDataException>(() => TrustPolicy.FromFile(path));

        Assert.Equal($"{path} holds no usable public key: Published key_id sha256:{new string('a', 64)} does not match its key ({TestKeys.Ed25519KeyId}).", exception.Message);
    }

    [Fact]
    public void FromFile_MalformedJson_IsRefusedAsNotAKeySet()
    {
        var path = Write("broken.json", """{"keys": [""");

        var exception = Assert.Throws<InvalidDataException>(() => TrustPolicy.FromFile(path));

        Assert.StartsWith($"{path} is not a published key set: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_NeitherJsonNorPem_IsRefused()
    {
        var path = Write("notes.txt", "the key is in the safe");

        var exception = Assert.Throws<InvalidDataException>(() => TrustPolicy.FromFile(path));

        Assert.Equal($"{path} holds no usable public key: Neither a published key set (JSON) nor a PEM public key (-----BEGIN PUBLIC KEY-----).", exception.Message);
    }

    [Fact]
    public void FromFile_NoSuchFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(_directory.FullName, "missing.json");

        Assert.Throws<FileNotFoundException>(() => TrustPolicy.FromFile(path));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Ed25519Pem() => System.Text.Encoding.ASCII.GetString(TestKeys.Ed25519.PublicKey.Export(KeyBlobFormat.PkixPublicKeyText));
}
