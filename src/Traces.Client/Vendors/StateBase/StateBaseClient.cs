using Traces.Client.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Traces.Client.Errors;
using Traces.Client.Http;
using Traces.Client.Vendors.Http;

namespace Traces.Client.Vendors.StateBase;

/// <summary>
/// StateBase's audit traces (seed 004; docs api-reference/traces.mdx; the API schema behind statebase-python):
/// list with every filter, auto-paged on <c>starting_after</c>/<c>has_more</c>, a session's traces, and one trace.
/// Read-only; the key travels as <c>X-API-Key</c> (StateBase's header, not Bearer). Webhook payloads:
/// <see cref="StateBaseWebhooks"/>.
/// </summary>
public class StateBaseClient : IDisposable
{
    /// <summary>The name of the HTTP client registered for StateBase.</summary>
    public const string HttpClientName = "Traces.Client.StateBase";

    private readonly VendorHttpCore _core = null!;
    private readonly IDisposable? _owned;

    /// <summary>For mocking.</summary>
    protected StateBaseClient()
    {
    }

    /// <summary>Creates a client with its own pipeline. Unset base URL and key fall back to <c>STATEBASE_API_URL</c> / <c>STATEBASE_API_KEY</c>.</summary>
    /// <param name="options">The options (copied).</param>
    /// <param name="loggerFactory">Where requests and retries are logged (never the key).</param>
    public StateBaseClient(StateBaseClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resolved = options.Resolve();
        var (client, owner) = ClientPipeline.CreateStandalone(HttpClientName, resolved.ToPipelineOptions(TracesAuthHeaderStyle.ApiKeyHeader), loggerFactory);
        _owned = owner;
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory);
    }

    internal StateBaseClient(HttpClient client, ResolvedVendorOptions resolved, ILoggerFactory? loggerFactory, TracesClientMetrics? metrics = null)
    {
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory, metrics);
    }

    /// <summary>One page of traces (<c>GET /v1/traces</c>).</summary>
    /// <param name="filter">Filters, page size and <c>starting_after</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and <c>has_more</c>.</returns>
    public virtual Task<StateBaseTraceList> ListTracesAsync(StateBaseTraceListFilter? filter = null, CancellationToken cancellationToken = default)
    {
        CheckLimit(filter?.Limit, nameof(filter));
        var query = new VendorQuery()
            .Add("session_id", filter?.SessionId)
            .Add("user_id", filter?.UserId)
            .Add("action", filter?.Action)
            .Add("created_after", filter?.CreatedAfter)
            .Add("created_before", filter?.CreatedBefore)
            .Add("start_time", filter?.CreatedAfter)
            .Add("end_time", filter?.CreatedBefore)
            .Add("resource_type", filter?.ResourceType)
            .Add("resource_id", filter?.ResourceId)
            .Add("limit", filter?.Limit)
            .Add("starting_after", filter?.StartingAfter);
        return _core.SendAsync("StateBase.ListTraces", null, HttpMethod.Get, "v1/traces", query, null, VendorJsonContext.Default.StateBaseTraceList, cancellationToken);
    }

    /// <summary>Every matching trace: <c>starting_after</c> is the last id of each page while <c>has_more</c> is true.</summary>
    /// <param name="filter">Filters and page size; its <c>starting_after</c> is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration (checked before each page).</param>
    /// <returns>The traces, lazily.</returns>
    /// <exception cref="TracesApiException"><c>invalid_response</c>: the server answered <c>has_more</c> but its page did not advance.</exception>
    public virtual IAsyncEnumerable<StateBaseTrace> ListAllTracesAsync(StateBaseTraceListFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var page = new StateBaseTraceListFilter
        {
            SessionId = filter?.SessionId,
            UserId = filter?.UserId,
            Action = filter?.Action,
            CreatedAfter = filter?.CreatedAfter,
            CreatedBefore = filter?.CreatedBefore,
            ResourceType = filter?.ResourceType,
            ResourceId = filter?.ResourceId,
            Limit = filter?.Limit,
            StartingAfter = filter?.StartingAfter,
        };
        return AutoPage(page.StartingAfter, (after, ct) =>
        {
            page.StartingAfter = after;
            return ListTracesAsync(page, ct);
        }, cancellationToken);
    }

    /// <summary>One page of a session's traces (<c>GET /v1/traces/sessions/{session_id}/traces</c>, API schema).</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="action">Only this action.</param>
    /// <param name="limit">Page size (API default 50).</param>
    /// <param name="startingAfter">The trace id after which the page starts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and <c>has_more</c>.</returns>
    public virtual Task<StateBaseTraceList> ListSessionTracesAsync(string sessionId, string? action = null, int? limit = null, string? startingAfter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        CheckLimit(limit, nameof(limit));
        var query = new VendorQuery().Add("limit", limit).Add("starting_after", startingAfter).Add("action", action);
        return _core.SendAsync("StateBase.ListSessionTraces", null, HttpMethod.Get, $"v1/traces/sessions/{Uri.EscapeDataString(sessionId)}/traces", query, null,
            VendorJsonContext.Default.StateBaseTraceList, cancellationToken);
    }

    /// <summary>Every trace of a session, auto-paged on <c>starting_after</c>.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="action">Only this action.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The traces, lazily.</returns>
    public virtual IAsyncEnumerable<StateBaseTrace> ListAllSessionTracesAsync(string sessionId, string? action = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return AutoPage(null, (after, ct) => ListSessionTracesAsync(sessionId, action, limit, after, ct), cancellationToken);
    }

    /// <summary>One trace (<c>GET /v1/traces/{trace_id}</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The trace.</returns>
    public virtual Task<StateBaseTrace> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("StateBase.GetTrace", traceId, HttpMethod.Get, "v1/traces/" + Uri.EscapeDataString(traceId), null, null,
            VendorJsonContext.Default.StateBaseTrace, cancellationToken);
    }

    /// <summary>One trace exactly as StateBase sent it, to keep.</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body's bytes.</returns>
    public virtual Task<byte[]> GetTraceDocumentAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.GetBytesAsync("StateBase.GetTraceDocument", traceId, "v1/traces/" + Uri.EscapeDataString(traceId), null, cancellationToken);
    }

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

    private static void CheckLimit(int? limit, string name)
    {
        if (limit is { } value)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 100, name);
        }
    }

    private static async IAsyncEnumerable<StateBaseTrace> AutoPage(
        string? startingAfter, Func<string?, CancellationToken, Task<StateBaseTraceList>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = await fetch(startingAfter, cancellationToken).ConfigureAwait(false);
            var traces = list.Data ?? [];
            foreach (var trace in traces)
            {
                yield return trace;
            }

            if (list.HasMore != true || traces.Count == 0)
            {
                yield break;
            }

            // Docs: "use last ID from previous response"; last_id when the envelope carries it.
            var next = list.LastId ?? traces[^1].Id;
            if (string.IsNullOrEmpty(next) || next == startingAfter)
            {
                throw new TracesApiException(
                    $"StateBase answered has_more but the page did not advance past '{startingAfter}': the server did not honour starting_after.",
                    200, TracesErrorCodes.InvalidResponse, null, null, null, null);
            }

            startingAfter = next;
        }
    }
}
