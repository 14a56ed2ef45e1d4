using System.Security.Cryptography;
using NSec.Cryptography;
using Traces.LocalServer.Proofs;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Signing;

/// <summary>
/// The server's two signing keys (proof-format §6–§8): Ed25519 for entries and seal events, RSA-4096 RSASSA-PSS for
/// certificates. A server with a data directory generates them on first start and keeps them in <c>&lt;data&gt;/keys</c>
/// so bundles stay verifiable after a restart.
/// </summary>
/// <remarks>
/// The RSA key is not needed until the first certificate (or the first request for the published keys), and generating
/// one takes about a second, so a server never waits for it at start (issue 14): it is loaded from disk, or generated
/// on a background thread (and saved before it is ever used), or taken from <see cref="EphemeralCertificateKeys"/> for
/// an ephemeral server. The generation begins once the server accepts requests (<see cref="BeginCertificateKey"/>) or
/// at the first use, whichever is first; <see cref="GetCertificateKeyAsync"/> awaits it where it is used.
/// </remarks>
internal sealed class ServerKeys : IAsyncDisposable, IDisposable
{
    public const string KeysFolder = "keys";
    public const string Ed25519FileName = "ed25519.key";
    public const string RsaFileName = "rsa-4096.pem";

    private readonly Key _ed25519;
    private readonly Lazy<Task<CertificateKey>> _certificate;
    // A key being generated for a data directory is written there; disposal waits for it, so the file is complete
    // before the directory lock is released.
    private readonly bool _awaitOnDispose;
    private int _disposed;

    private ServerKeys(Key ed25519, Lazy<Task<CertificateKey>> certificate, bool awaitOnDispose)
    {
        _ed25519 = ed25519;
        _certificate = certificate;
        _awaitOnDispose = awaitOnDispose;
        var rawPublic = ed25519.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        Ed25519PublicKey = WireEncoding.FormatEd25519PublicKey(rawPublic);
        Ed25519KeyId = Digest.Compute(rawPublic).ToString();
    }

    public string Ed25519PublicKey { get; }

    public string Ed25519KeyId { get; }

    /// <summary>Whether the certificate key is ready (loaded or generated); tests and the start benchmark look.</summary>
    public bool CertificateKeyReady => _certificate.IsValueCreated && _certificate.Value.IsCompletedSuccessfully;

    /// <summary>
    /// Loads the keys from <paramref name="dataDirectory"/>, generating and saving any that are missing (the RSA key in
    /// the background: see the remarks).
    /// </summary>
    public static ServerKeys LoadOrCreate(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, KeysFolder);
        SecureFiles.CreatePrivateDirectory(folder);
        var ed25519 = LoadOrCreateEd25519(folder);

        var rsaPath = Path.Combine(folder, RsaFileName);
        if (File.Exists(rsaPath))
        {
            var rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(File.ReadAllText(rsaPath));
                return new ServerKeys(ed25519, new Lazy<Task<CertificateKey>>(Task.FromResult(new CertificateKey(rsa))), awaitOnDispose: false);
            }
            catch
            {
                rsa.Dispose();
                ed25519.Dispose();
                throw;
            }
        }

        var generating = new Lazy<Task<CertificateKey>>(() => Task.Run(() =>
        {
            var rsa = CertificateKey.Generate();
            try
            {
                // Saved before any certificate is signed with it: no certificate exists whose key a restart would lose.
                SecureFiles.WritePrivateFile(rsaPath, System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));
                return new CertificateKey(rsa);
            }
            catch
            {
                rsa.Dispose();
                throw;
            }
        }));
        return new ServerKeys(ed25519, generating, awaitOnDispose: true);
    }

    /// <summary>
    /// The keys of an ephemeral server: a fresh Ed25519 key (saved in its temporary directory like any server's), and
    /// the process-wide ephemeral RSA key (<see cref="EphemeralCertificateKeys"/>, in memory only), or with
    /// <paramref name="uniqueCertificateKey"/> one of its own, generated in the background and never written to disk.
    /// </summary>
    public static ServerKeys CreateEphemeral(string dataDirectory, bool uniqueCertificateKey)
    {
        var folder = Path.Combine(dataDirectory, KeysFolder);
        SecureFiles.CreatePrivateDirectory(folder);
        var ed25519 = LoadOrCreateEd25519(folder);
        if (uniqueCertificateKey)
        {
            return new ServerKeys(ed25519, new Lazy<Task<CertificateKey>>(() => Task.Run(() => new CertificateKey(CertificateKey.Generate()))),
                awaitOnDispose: false);
        }

        return new ServerKeys(ed25519, new Lazy<Task<CertificateKey>>(EphemeralCertificateKeys.TakeAsync), awaitOnDispose: false);
    }

    /// <summary>
    /// Starts getting the certificate key (generation on a background thread when it is not on disk) without waiting
    /// for it. <see cref="LocalTracesServer"/> calls this once the server accepts requests, so the generation does not
    /// compete for the CPU with the start itself.
    /// </summary>
    public void BeginCertificateKey() => _ = _certificate.Value;

    /// <summary>The certificate key, waiting for it if it is still being generated.</summary>
    public Task<CertificateKey> GetCertificateKeyAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _certificate.Value.WaitAsync(ct);
    }

    /// <summary><c>ed25519:</c> + hex of the signature over SignedMessage("traces/v1/event", content digest), §6.</summary>
    public string SignEntry(Digest contentHash) =>
        WireEncoding.FormatEd25519Signature(SignatureAlgorithm.Ed25519.Sign(_ed25519, ProofPrimitives.EventMessage(contentHash)));

    /// <summary>The published key set of <c>GET /v1/traces/public-key</c> (waits for the certificate key).</summary>
    public async Task<PublishedKeySet> ToPublishedKeySetAsync(CancellationToken ct)
    {
        var certificate = await GetCertificateKeyAsync(ct).ConfigureAwait(false);
        return new()
        {
            PublicKey = certificate.PublicKeyPem,
            Algorithm = PublishedKey.RsaPssSha256,
            Keys =
            [
                new PublishedKey { KeyId = Ed25519KeyId, Algorithm = PublishedKey.Ed25519, PublicKey = Ed25519PublicKey, Use = "entries" },
                new PublishedKey { KeyId = certificate.KeyId, Algorithm = PublishedKey.RsaPssSha256, PublicKey = certificate.PublicKeyPem, Use = "certificates" },
            ],
        };
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ed25519.Dispose();
        if (!_certificate.IsValueCreated)
        {
            return;
        }

        var task = _certificate.Value;
        if (_awaitOnDispose && !task.IsCompleted)
        {
            await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (task.IsCompleted)
        {
            if (task.IsCompletedSuccessfully)
            {
                task.Result.Dispose();
            }

            return;
        }

        // Still generating (an ephemeral server stopped within a second of its start): the key is disposed when it
        // arrives; nothing waits for it.
        _ = task.ContinueWith(static t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result.Dispose();
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private static Key LoadOrCreateEd25519(string folder)
    {
        var edPath = Path.Combine(folder, Ed25519FileName);
        var creation = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        if (File.Exists(edPath))
        {
            return Key.Import(SignatureAlgorithm.Ed25519, File.ReadAllBytes(edPath), KeyBlobFormat.RawPrivateKey, creation);
        }

        var ed25519 = Key.Create(SignatureAlgorithm.Ed25519, creation);
        SecureFiles.WritePrivateFile(edPath, ed25519.Export(KeyBlobFormat.RawPrivateKey));
        return ed25519;
    }
}
