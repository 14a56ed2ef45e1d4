using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Traces.Client.Diagnostics;
using Traces.Client.Http;
using Traces.Client.Services;

namespace Traces.Client;

/// <summary>
/// The Traces API client: <see cref="Traces"/>, <see cref="Events"/>, <see cref="Documents"/> and
/// <see cref="Attestations"/>. Thread-safe; create one and reuse it (or register it with
/// <see cref="TracesClientServiceCollectionExtensions.AddTracesClient"/>).
/// </summary>
/// <example>
/// <code>
/// using var client = new TracesClient(new TracesClientOptions { Endpoint = new Uri("https://traces.example.com"), ApiKey = key });
/// var trace = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "Invoice processing" });
/// await client.Events.RecordAsync(new RecordEventRequest { EventType = "invoice.received", Payload = payload, TraceId = trace.TraceId });
/// await client.Traces.SealAndWaitAsync(trace.TraceId!);
/// var report = await client.Traces.VerifyOfflineAsync(trace.TraceId!, pinnedPolicy);
/// </code>
/// </example>
public class TracesClient : IDisposable
{
    /// <summary>The name of the client's <see cref="System.Diagnostics.ActivitySource"/>, <see cref="System.Diagnostics.Metrics.Meter"/> and log category.</summary>
    public const string DiagnosticsName = "Traces.Client";

    private readonly IDisposable? _ownedResources;
    private readonly ClientCore _core = null!;

    /// <summary>For mocking.</summary>
    protected TracesClient()
    {
        Traces = null!;
        Events = null!;
        Documents = null!;
        Attestations = null!;
    }

    /// <summary>
    /// Creates a client with its own HTTP pipeline (authentication, resilience, logging). Unset
    /// <see cref="TracesClientOptions.Endpoint"/> and <see cref="TracesClientOptions.ApiKey"/> fall back to
    /// <c>TRACES_ENDPOINT</c> and <c>TRACES_API_KEY</c>.
    /// </summary>
    /// <param name="options">The options (copied; later changes have no effect).</param>
    /// <param name="loggerFactory">Where requests and retries are logged (never the API key); none when <c>null</c>.</param>
    /// <exception cref="InvalidOperationException">No endpoint is configured.</exception>
    /// <exception cref="ArgumentException">
    /// The endpoint (or <c>TRACES_ENDPOINT</c>) is not an absolute http(s) URI, the API key holds a character that
    /// cannot be sent in a header (CR, LF, any control, space or non-ASCII character), or the timeouts are inconsistent.
    /// </exception>
    public TracesClient(TracesClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resolved = options.Resolve();
        var (httpClient, owner) = ClientPipeline.CreateStandalone(TracesClientServiceCollectionExtensions.HttpClientName, resolved, loggerFactory);
        _ownedResources = owner;
        var core = new ClientCore(httpClient, resolved, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(DiagnosticsName), TracesClientMetrics.Shared);
        _core = core;
        Traces = new TracesService(core);
        Events = new EventsService(core);
        Documents = new DocumentsService(core);
        Attestations = new AttestationsService(core);
    }

    internal TracesClient(HttpClient httpClient, TracesClientOptions resolved, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory, IDisposable? ownedResources)
    {
        _ownedResources = ownedResources;
        var core = new ClientCore(httpClient, resolved, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(DiagnosticsName), TracesClientMetrics.For(meterFactory));
        _core = core;
        Traces = new TracesService(core);
        Events = new EventsService(core);
        Documents = new DocumentsService(core);
        Attestations = new AttestationsService(core);
    }

    /// <summary>Traces: create, list, steps, seal, proof, certificate, keys, verification.</summary>
    public virtual TracesService Traces { get; }

    /// <summary>Events (Invoance).</summary>
    public virtual EventsService Events { get; }

    /// <summary>Documents anchored by hash.</summary>
    public virtual DocumentsService Documents { get; }

    /// <summary>AI attestations.</summary>
    public virtual AttestationsService Attestations { get; }

    /// <summary>
    /// Who the API key is (<c>GET /v1/me</c>): its tenant and the key's public prefix. The key check of Invoance's
    /// .NET, Go and Ruby SDKs; a wrong key is a <see cref="Errors.TracesAuthenticationException"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's description of the key.</returns>
    public virtual Task<Models.CallerIdentity> GetMeAsync(CancellationToken cancellationToken = default) =>
        _core.CallAsync("Client.GetMe", null, ct => _core.Api.GetMeAsync(ct), cancellationToken);

    /// <summary>Releases the HTTP pipeline this client created (none when it came from dependency injection).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing"><c>true</c> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedResources?.Dispose();
        }
    }
}
