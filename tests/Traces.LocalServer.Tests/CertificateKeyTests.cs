using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Tests;

/// <summary>
/// The RSA certificate key is not waited for at start (issue 14): whatever way the server gets it (generated in the
/// background for a new data directory or for a unique ephemeral key, shared by ephemeral servers, loaded from disk),
/// the first seal is signed with an RSA-4096 key and verifies under the published keys. Not run in parallel with
/// other tests: each RSA-4096 generation here is seconds of CPU that would slow the seals other tests wait for.
/// </summary>
[Collection(nameof(CertificateKeyTests))]
[CollectionDefinition(nameof(CertificateKeyTests), DisableParallelization = true)]
public sealed class CertificateKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Modes => ["ephemeral-shared", "ephemeral-unique", "new-data-directory"];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SealIssuedRightAfterStart_HasA4096BitCertificateKey_AndVerifies(string mode)
    {
        var dir = mode == "new-data-directory" ? TestServers.NewTempDirectory() : null;
        try
        {
            var options = new LocalTracesServerOptions { DataDirectory = dir, UniqueCertificateKey = mode == "ephemeral-unique", DurableWrites = false };
            await using var server = await LocalTracesServer.StartAsync(options, Ct);
            using var api = new TracesApi(server);
            var traceId = await api.CreateTraceAsync("sealed at once");
            await api.AddStepAsync(traceId, "only step");
            var sealedTrace = await api.SealAndWaitAsync(traceId, TimeSpan.FromSeconds(60));
            Assert.Equal("sealed", sealedTrace.GetProperty("status").GetString());

            var certificate = System.Text.Json.JsonSerializer.Deserialize(
                await api.Http.GetStringAsync($"/v1/traces/{traceId}/certificate", Ct), TracesJsonContext.Default.TraceCertificate)!;
            using var rsa = RSA.Create();
            rsa.ImportFromPem(certificate.PublicKey);
            Assert.Equal(4096, rsa.KeySize);
            Assert.Equal(PublishedKey.RsaPssSha256, certificate.Algorithm);
            Assert.Equal(server.PublicKeys.Keys![1].KeyId, certificate.KeyId);
            Assert.Equal(server.PublicKeys.Keys![1].PublicKey, certificate.PublicKey);

            var bundle = await api.GetProofAsync(traceId);
            var report = new BundleVerifier(TrustPolicy.FromPublishedKeys(server.PublicKeys)).Verify(bundle);
            Assert.Equal(Verdict.Valid, report.Verdict);
            Assert.True(server.Services.GetRequiredService<ServerKeys>().CertificateKeyReady);
        }
        finally
        {
            if (dir is not null)
            {
                TestServers.DeleteDirectory(dir);
            }
        }
    }

    [Fact]
    public async Task NewDataDirectory_StoppedBeforeItsKeyIsReady_LeavesACompleteKeyFile_ThatTheNextStartUses()
    {
        var dir = TestServers.NewTempDirectory();
        try
        {
            var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = dir, DurableWrites = false }, Ct);
            await server.DisposeAsync();

            var pem = Path.Combine(dir, ServerKeys.KeysFolder, ServerKeys.RsaFileName);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pem));
            }

            using var rsa = RSA.Create();
            rsa.ImportFromPem(await File.ReadAllTextAsync(pem, Ct));
            Assert.Equal(4096, rsa.KeySize);

            await using var again = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = dir, DurableWrites = false }, Ct);
            Assert.True(again.Services.GetRequiredService<ServerKeys>().CertificateKeyReady);
            Assert.Equal(Traces.Verification.Hashing.Digest.Compute(rsa.ExportSubjectPublicKeyInfo()).ToString(), again.PublicKeys.Keys![1].KeyId);
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task EphemeralServers_ShareTheCertificateKey_ButNotTheEntryKey_UnlessAskedForAUniqueOne()
    {
        await using var first = await LocalTracesServer.StartAsync(cancellationToken: Ct);
        await using var second = await LocalTracesServer.StartAsync(cancellationToken: Ct);
        await using var unique = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { UniqueCertificateKey = true }, Ct);

        Assert.Equal(first.PublicKeys.Keys![1].KeyId, second.PublicKeys.Keys![1].KeyId);
        Assert.NotEqual(first.PublicKeys.Keys![0].KeyId, second.PublicKeys.Keys![0].KeyId);
        Assert.NotEqual(first.PublicKeys.Keys![1].KeyId, unique.PublicKeys.Keys![1].KeyId);
    }

    [Fact]
    public async Task KeyFileWithAWeakerRsaKey_IsRefusedAtStart()
    {
        var dir = TestServers.NewTempDirectory();
        try
        {
            var folder = Path.Combine(dir, ServerKeys.KeysFolder);
            Directory.CreateDirectory(folder);
            using (var weak = RSA.Create(2048))
            {
                await File.WriteAllTextAsync(Path.Combine(folder, ServerKeys.RsaFileName), weak.ExportPkcs8PrivateKeyPem(), Ct);
            }

            var ex = await Assert.ThrowsAsync<CryptographicException>(() =>
                LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = dir }, Ct));
            Assert.Equal("The certificate key is RSA-2048; the server signs with RSA-4096 only.", ex.Message);
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }
}
