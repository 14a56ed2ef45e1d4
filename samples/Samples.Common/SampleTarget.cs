using Traces.Client;
using Traces.LocalServer;
using Traces.Verification.Trust;

namespace Traces.Samples;

/// <summary>
/// Where the sample sends its calls: a remote endpoint (<c>TRACES_ENDPOINT</c> + <c>TRACES_API_KEY</c>), or, when none
/// is configured, the local reference server started in this process.
/// </summary>
public sealed class SampleTarget
{
    private SampleTarget(Uri? endpoint, string? apiKey)
    {
        Endpoint = endpoint;
        ApiKey = apiKey;
    }

    /// <summary>The remote endpoint, or <c>null</c> for the embedded server.</summary>
    public Uri? Endpoint { get; }

    /// <summary>The remote API key.</summary>
    public string? ApiKey { get; }

    /// <summary>The embedded server, whatever the environment says (what the tests use).</summary>
    public static SampleTarget Embedded { get; } = new(null, null);

    /// <summary>A remote endpoint.</summary>
    public static SampleTarget Remote(Uri endpoint, string? apiKey) => new(endpoint ?? throw new ArgumentNullException(nameof(endpoint)), apiKey);

    /// <summary><c>TRACES_ENDPOINT</c> and <c>TRACES_API_KEY</c>, or the embedded server when the endpoint is unset.</summary>
    public static SampleTarget FromEnvironment()
    {
        var endpoint = Environment.GetEnvironmentVariable(TracesClientOptions.EndpointEnvironmentVariable);
        return string.IsNullOrWhiteSpace(endpoint)
            ? Embedded
            : Remote(new Uri(endpoint, UriKind.Absolute), Environment.GetEnvironmentVariable(TracesClientOptions.ApiKeyEnvironmentVariable));
    }

    /// <summary>Starts the embedded server if needed and returns a connected client and the keys to trust.</summary>
    public async Task<SampleConnection> ConnectAsync(TextWriter output, CancellationToken cancellationToken)
    {
        if (Endpoint is null)
        {
            var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions(), cancellationToken);
            var client = new TracesClient(new TracesClientOptions { Endpoint = server.BaseAddress, ApiKey = server.ApiKey });
            output.WriteLine($"  server    embedded LocalTracesServer at {server.BaseAddress} (ephemeral; set TRACES_ENDPOINT to use yours)");

            // The embedded server hands its keys over in process: that is an out-of-band channel, so pinning them is sound.
            var trust = TrustPolicy.FromPublishedKeys(server.PublicKeys);
            return new SampleConnection(client, trust, "the embedded server (in process)", server);
        }

        var remote = new TracesClient(new TracesClientOptions { Endpoint = Endpoint, ApiKey = ApiKey });
        output.WriteLine($"  server    {Endpoint}");
        var keys = await remote.Traces.GetPublicKeysAsync(cancellationToken);
        output.WriteLine("  WARNING   trusting the keys this endpoint publishes (GET /v1/traces/public-key), fetched once for the demo.");
        output.WriteLine("            A production auditor must pin keys obtained out of band, never from the server being checked.");
        return new SampleConnection(remote, TrustPolicy.FromPublishedKeys(keys), $"{Endpoint} (fetched, NOT independently pinned)", null);
    }
}

/// <summary>A client, the trust policy to verify with, and the embedded server when there is one.</summary>
public sealed class SampleConnection(TracesClient client, TrustPolicy trust, string trustSource, LocalTracesServer? server) : IAsyncDisposable
{
    public TracesClient Client { get; } = client;

    public TrustPolicy Trust { get; } = trust;

    public string TrustSource { get; } = trustSource;

    public bool IsEmbedded => server is not null;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
