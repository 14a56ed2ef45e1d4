using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Traces.LocalServer.Hosting;
using Traces.LocalServer.Signing;
using Traces.Verification.Bundles;

namespace Traces.LocalServer;

/// <summary>
/// The Traces API v1 reference server (docs/api.md), running in this process on Kestrel:
/// <code>
/// await using var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions());
/// var client = new HttpClient { BaseAddress = server.BaseAddress };
/// client.DefaultRequestHeaders.Add("x-api-key", server.ApiKey);
/// </code>
/// </summary>
public sealed class LocalTracesServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DataDirectoryLock _lock;
    private readonly bool _ephemeral;
    private readonly Task<PublishedKeySet> _publicKeys;
    private int _disposed;

    private LocalTracesServer(WebApplication app, DataDirectoryLock directoryLock, Uri baseAddress, string apiKey, string tenantId,
        string dataDirectory, bool ephemeral, Task<PublishedKeySet> publicKeys)
    {
        _app = app;
        _lock = directoryLock;
        BaseAddress = baseAddress;
        ApiKey = apiKey;
        TenantId = tenantId;
        DataDirectory = dataDirectory;
        _ephemeral = ephemeral;
        _publicKeys = publicKeys;
    }

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:53122/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The default tenant's API key.</summary>
    public string ApiKey { get; }

    /// <summary>The default tenant's id.</summary>
    public string TenantId { get; }

    /// <summary>The data directory (a temporary one for an ephemeral server).</summary>
    public string DataDirectory { get; }

    /// <summary>The server's public keys, as served by <c>GET /v1/traces/public-key</c>: pin these to verify its bundles.</summary>
    /// <remarks>
    /// The server does not wait for its RSA-4096 certificate key at start (docs/local-server.md, "Keys"): the first read
    /// of this property, within about a second of starting a server whose key is not on disk, waits for it.
    /// </remarks>
    public PublishedKeySet PublicKeys => _publicKeys.GetAwaiter().GetResult();

    /// <summary>The server's services (tests reach internal components through them).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Starts a server and returns once it accepts requests.</summary>
    /// <exception cref="InvalidOperationException">Another server process is using the data directory.</exception>
    public static async Task<LocalTracesServer> StartAsync(LocalTracesServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalTracesServerOptions();
        // Ephemeral mode is a temporary directory, not ":memory:": a shared-cache in-memory database has table-level
        // locks and no WAL, so tests would exercise a different engine mode from the one users run.
        var ephemeral = options.DataDirectory is null;
        var dataDirectory = Path.GetFullPath(options.DataDirectory
            ?? Path.Combine(Path.GetTempPath(), "traces-local-" + Infrastructure.Ids.NewUlid().ToLowerInvariant()));
        var directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        WebApplication? app = null;
        string apiKey;
        try
        {
            app = ServerApp.Build(options, dataDirectory, ephemeral, out var builtApiKey);
            await ServerApp.InitializeAsync(app, cancellationToken);
            await app.StartAsync(cancellationToken);
            apiKey = builtApiKey;
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            directoryLock.Dispose();
            if (ephemeral)
            {
                DeleteEphemeralDirectory(dataDirectory); // nobody else knows its name: don't leave it in /tmp
            }

            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Not awaited: the certificate key may be generating (from now on, not during the start), and starting does
        // not wait for it.
        var serverKeys = app.Services.GetRequiredService<ServerKeys>();
        serverKeys.BeginCertificateKey();
        var keys = serverKeys.ToPublishedKeySetAsync(CancellationToken.None);
        return new LocalTracesServer(app, directoryLock, new Uri(address.TrimEnd('/') + "/"), apiKey, options.DefaultTenantId, dataDirectory, ephemeral, keys);
    }

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the server; an ephemeral server's data directory is deleted.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _lock.Dispose();
        if (_ephemeral)
        {
            DeleteEphemeralDirectory(DataDirectory);
        }
    }

    private static void DeleteEphemeralDirectory(string directory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }
}
