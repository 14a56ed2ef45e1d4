using Traces.Client.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Traces.Client.Http;
using Traces.Client.Vendors.Http;

namespace Traces.Client.Vendors.Novyx;

/// <summary>
/// Novyx agent traces (novyx-docs api-reference/traces.md, seed 001): start, add steps, complete (signed
/// synchronously), list (offset paging), get, the server's verify, the certificate and the public key. Sent with
/// <c>Authorization: Bearer nram_…</c> through the client's shared pipeline. Novyx documents no
/// <c>Idempotency-Key</c>, so its <c>POST</c>s are sent exactly once. Thread-safe; create one and reuse it.
/// </summary>
/// <example>
/// <code>
/// using var novyx = new NovyxClient(new NovyxClientOptions());          // NOVYX_API_KEY
/// var trace = await novyx.StartTraceAsync(new NovyxStartTraceRequest { AgentId = "agent-001" });
/// await novyx.AddStepAsync(trace.TraceId!, new NovyxAddStepRequest { Type = StepType.Thought, Content = "…" });
/// var signed = await novyx.CompleteTraceAsync(trace.TraceId!);          // root hash + signature
/// </code>
/// </example>
public class NovyxClient : IDisposable
{
    private readonly VendorHttpCore _core = null!;
    private readonly IDisposable? _owned;

    /// <summary>For mocking.</summary>
    protected NovyxClient()
    {
    }

    /// <summary>Creates a client with its own pipeline. Unset base URL and key fall back to <c>NOVYX_BASE_URL</c> / <c>NOVYX_API_KEY</c>.</summary>
    /// <param name="options">The options (copied).</param>
    /// <param name="loggerFactory">Where requests and retries are logged (never the key).</param>
    public NovyxClient(NovyxClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resolved = options.Resolve();
        var (client, owner) = ClientPipeline.CreateStandalone(HttpClientName, resolved.ToPipelineOptions(TracesAuthHeaderStyle.Bearer), loggerFactory);
        _owned = owner;
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory);
    }

    internal NovyxClient(HttpClient client, ResolvedVendorOptions resolved, ILoggerFactory? loggerFactory, TracesClientMetrics? metrics = null)
    {
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory, metrics);
    }

    /// <summary>The name of the HTTP client registered for Novyx.</summary>
    public const string HttpClientName = "Traces.Client.Novyx";

    /// <summary>Starts a trace (<c>POST /v1/traces</c>).</summary>
    /// <param name="request">The trace; <c>agent_id</c> is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The trace, <c>active</c>.</returns>
    public virtual Task<NovyxTrace> StartTraceAsync(NovyxStartTraceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.AgentId, nameof(request));
        return _core.SendAsync("Novyx.StartTrace", null, HttpMethod.Post, "v1/traces", null,
            ClientCore.Json(request, VendorJsonContext.Default.NovyxStartTraceRequest), VendorJsonContext.Default.NovyxTrace, cancellationToken);
    }

    /// <summary>Adds a step to an active trace (<c>POST /v1/traces/{trace_id}/steps</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="request">The step; type and content are required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The step's receipt with its chain hash.</returns>
    public virtual Task<NovyxStepReceipt> AddStepAsync(string traceId, NovyxAddStepRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Type.Value, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Content, nameof(request));
        return _core.SendAsync("Novyx.AddStep", traceId, HttpMethod.Post, $"v1/traces/{Uri.EscapeDataString(traceId)}/steps", null,
            ClientCore.Json(request, VendorJsonContext.Default.NovyxAddStepRequest), VendorJsonContext.Default.NovyxStepReceipt, cancellationToken);
    }

    /// <summary>Completes and signs a trace (<c>POST /v1/traces/{trace_id}/complete</c>; synchronous).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Root hash, signature, algorithm, step count and signing time.</returns>
    public virtual Task<NovyxCompletion> CompleteTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("Novyx.CompleteTrace", traceId, HttpMethod.Post, $"v1/traces/{Uri.EscapeDataString(traceId)}/complete", null, null,
            VendorJsonContext.Default.NovyxCompletion, cancellationToken);
    }

    /// <summary>One page of traces (<c>GET /v1/traces?agent_id&amp;status&amp;limit&amp;offset</c>).</summary>
    /// <param name="filter">Filters and page; <c>null</c> for the first page of everything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page with the total.</returns>
    public virtual Task<NovyxTraceList> ListTracesAsync(NovyxTraceListFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if (filter?.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(filter));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100, nameof(filter));
        }

        if (filter?.Offset is { } offset)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset, nameof(filter));
        }

        var query = new VendorQuery()
            .Add("agent_id", filter?.AgentId)
            .Add("status", filter?.Status)
            .Add("limit", filter?.Limit)
            .Add("offset", filter?.Offset);
        return _core.SendAsync("Novyx.ListTraces", null, HttpMethod.Get, "v1/traces", query, null, VendorJsonContext.Default.NovyxTraceList, cancellationToken);
    }

    /// <summary>Every matching trace, page by page: <c>offset</c> advances by each page's size until <c>total</c> is reached or a page is empty.</summary>
    /// <param name="filter">Filters and page size; its offset is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration (checked before each page).</param>
    /// <returns>The traces, lazily.</returns>
    public virtual async IAsyncEnumerable<NovyxTrace> ListAllTracesAsync(NovyxTraceListFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new NovyxTraceListFilter { AgentId = filter?.AgentId, Status = filter?.Status, Limit = filter?.Limit, Offset = filter?.Offset ?? 0 };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = await ListTracesAsync(page, cancellationToken).ConfigureAwait(false);
            var traces = list.Traces ?? [];
            foreach (var trace in traces)
            {
                yield return trace;
            }

            page.Offset += traces.Count;
            if (traces.Count == 0 || (list.Total is { } total && page.Offset >= total))
            {
                yield break;
            }
        }
    }

    /// <summary>A trace with its steps (<c>GET /v1/traces/{trace_id}</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>{trace, steps, step_count}</c>.</returns>
    public virtual Task<NovyxTraceDetails> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("Novyx.GetTrace", traceId, HttpMethod.Get, $"v1/traces/{Uri.EscapeDataString(traceId)}", null, null,
            VendorJsonContext.Default.NovyxTraceDetails, cancellationToken);
    }

    /// <summary>The trace document exactly as Novyx sent it (<c>GET /v1/traces/{trace_id}</c>), to keep or verify.</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The response body's bytes.</returns>
    public virtual Task<byte[]> GetTraceDocumentAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.GetBytesAsync("Novyx.GetTraceDocument", traceId, $"v1/traces/{Uri.EscapeDataString(traceId)}", null, cancellationToken);
    }

    /// <summary>
    /// The server's own check of a completed trace (<c>POST /v1/traces/{trace_id}/verify</c>); only as trustworthy as
    /// the server. <c>400 TRACE_NOT_COMPLETED</c> before completion.
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's answer.</returns>
    public virtual Task<NovyxVerification> VerifyTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("Novyx.VerifyTrace", traceId, HttpMethod.Post, $"v1/traces/{Uri.EscapeDataString(traceId)}/verify", null, null,
            VendorJsonContext.Default.NovyxVerification, cancellationToken);
    }

    /// <summary>The portable certificate of a completed trace (<c>GET /v1/traces/{trace_id}/certificate</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Root hash, signature and public key.</returns>
    public virtual Task<NovyxCertificate> GetCertificateAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("Novyx.GetCertificate", traceId, HttpMethod.Get, $"v1/traces/{Uri.EscapeDataString(traceId)}/certificate", null, null,
            VendorJsonContext.Default.NovyxCertificate, cancellationToken);
    }

    /// <summary>The key Novyx signs traces with (<c>GET /v1/traces/public-key</c>). Publishing is not trusting: pin it out of band.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The PEM key and algorithm.</returns>
    public virtual Task<NovyxPublicKey> GetPublicKeyAsync(CancellationToken cancellationToken = default) =>
        _core.SendAsync("Novyx.GetPublicKey", null, HttpMethod.Get, "v1/traces/public-key", null, null, VendorJsonContext.Default.NovyxPublicKey, cancellationToken);

    /// <summary>Releases the pipeline this client created (none when it came from dependency injection).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing"><c>true</c> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _owned?.Dispose();
        }
    }
}
