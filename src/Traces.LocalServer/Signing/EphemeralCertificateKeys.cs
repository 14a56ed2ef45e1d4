using System.Security.Cryptography;

namespace Traces.LocalServer.Signing;

/// <summary>
/// The RSA-4096 certificate key that ephemeral servers of this process share (issue 14, "Start in a blink").
/// </summary>
/// <remarks>
/// <para>
/// Generating an RSA-4096 key costs about a second of CPU (0.7–4.5 s on a busy 2-core machine), more than everything
/// else a server does to start. A test suite starts one ephemeral server per class or per test, and each of them would
/// pay for a key that signs a handful of certificates and is deleted with the server's temporary directory.
/// </para>
/// <para>
/// So ephemeral servers (no data directory) take their certificate key from here: one key per process, generated on a
/// background thread once the first ephemeral server has started, and awaited only where a certificate is signed or the key
/// is published. Nothing is weakened: it is still a fresh RSA-4096 key, generated in this process, held in memory only
/// (never written to disk), and each server gets its own <see cref="RSA"/> instance imported from it. What changes is
/// that certificates of two ephemeral servers in one process verify under the same RSA key; the entries and seal
/// events stay signed by each server's own Ed25519 key, so a bundle of one server does not verify under the other's
/// published keys. A test that needs two distinct certificate keys sets
/// <see cref="LocalTracesServerOptions.UniqueCertificateKey"/>. Servers with a data directory never use this key:
/// theirs is generated once and kept in <c>keys/rsa-4096.pem</c> (docs/local-server.md, "Keys").
/// </para>
/// </remarks>
internal static class EphemeralCertificateKeys
{
    // Lazy, not a static initializer: a process that only runs servers with a data directory never generates it.
    private static readonly Lazy<Task<byte[]>> s_shared = new(() => Task.Run(() =>
    {
        using var rsa = CertificateKey.Generate();
        return rsa.ExportPkcs8PrivateKey();
    }), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A server's own instance of the shared key (waits for the generation the first time).</summary>
    public static async Task<CertificateKey> TakeAsync()
    {
        var pkcs8 = await s_shared.Value.ConfigureAwait(false);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new CertificateKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}
