using Traces.Client.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Traces.Client.Http;
using Traces.Client.Vendors.Http;

namespace Traces.Client.Vendors.SidClaw;

/// <summary>
/// SidClaw's governance traces as its server answers them (sidclawhq/platform apps/api routes/evaluate.ts,
/// traces.ts, approvals.ts; tests/vectors/sidclaw): evaluate (which creates a trace), list with every filter
/// (<c>{data, pagination}</c> offset paging), get with events and approval requests, record an outcome
/// (<c>204</c>), append telemetry (<c>PATCH</c>, <c>204</c>), the server's verify, the single-trace export, the bulk
/// CSV export and the SIEM audit export (JSON or CSV) as streams, and approvals. Sent with
/// <c>Authorization: Bearer</c> under <c>/api/v1</c>. SidClaw honours no <c>Idempotency-Key</c>, and a repeated
/// outcome or telemetry call appends events, so <c>POST</c> and <c>PATCH</c> are sent exactly once.
/// </summary>
/// <example>
/// <code>
/// using var sidclaw = new SidClawClient(new SidClawClientOptions { BaseUrl = new Uri("http://localhost:4000") });
/// await foreach (var trace in sidclaw.ListAllTracesAsync(new SidClawTraceListFilter { Outcome = SidClawOutcomes.Blocked }))
///     Console.WriteLine(trace.Id);
/// await using var export = await sidclaw.ExportAuditEventsAsync(from, to, SidClawExportFormat.Json);
/// await foreach (var e in export.ReadEventsAsync()) { … }   // streamed, never buffered whole
/// </code>
/// </example>
public class SidClawClient : IDisposable
{
    /// <summary>The name of the HTTP client registered for SidClaw.</summary>
    public const string HttpClientName = "Traces.Client.SidClaw";

    private readonly VendorHttpCore _core = null!;
    private readonly IDisposable? _owned;

    /// <summary>For mocking.</summary>
    protected SidClawClient()
    {
    }

    /// <summary>Creates a client with its own pipeline. Unset base URL and key fall back to <c>SIDCLAW_API_URL</c> / <c>SIDCLAW_API_KEY</c>.</summary>
    /// <param name="options">The options (copied).</param>
    /// <param name="loggerFactory">Where requests and retries are logged (never the key).</param>
    public SidClawClient(SidClawClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resolved = options.Resolve();
        var (client, owner) = ClientPipeline.CreateStandalone(HttpClientName, resolved.ToPipelineOptions(TracesAuthHeaderStyle.Bearer), loggerFactory);
        _owned = owner;
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory);
    }

    internal SidClawClient(HttpClient client, ResolvedVendorOptions resolved, ILoggerFactory? loggerFactory, TracesClientMetrics? metrics = null)
    {
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory, metrics);
    }

    /// <summary>Asks for a decision and opens a trace (<c>POST /api/v1/evaluate</c>, scope <c>evaluate</c>).</summary>
    /// <param name="request">Agent, operation, integration, scope and data classification.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision and the new trace's id.</returns>
    public virtual Task<SidClawEvaluation> EvaluateAsync(SidClawEvaluateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _core.SendAsync("SidClaw.Evaluate", null, HttpMethod.Post, "api/v1/evaluate", null,
            ClientCore.Json(request, VendorJsonContext.Default.SidClawEvaluateRequest), VendorJsonContext.Default.SidClawEvaluation, cancellationToken);
    }

    /// <summary>One page of traces (<c>GET /api/v1/traces?agent_id&amp;outcome&amp;from&amp;to&amp;limit&amp;offset</c>), newest first.</summary>
    /// <param name="filter">Filters and page; <c>null</c> for the first page of everything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>{data, pagination}</c>.</returns>
    public virtual Task<SidClawTraceList> ListTracesAsync(SidClawTraceListFilter? filter = null, CancellationToken cancellationToken = default)
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
            .Add("outcome", filter?.Outcome)
            .Add("from", filter?.From)
            .Add("to", filter?.To)
            .Add("limit", filter?.Limit)
            .Add("offset", filter?.Offset);
        return _core.SendAsync("SidClaw.ListTraces", null, HttpMethod.Get, "api/v1/traces", query, null, VendorJsonContext.Default.SidClawTraceList, cancellationToken);
    }

    /// <summary>
    /// Every matching trace: <c>offset</c> advances by each page's size until <c>pagination.total</c> is reached or a
    /// page is empty. Offset paging over a newest-first list: a trace created meanwhile shifts later pages by one.
    /// </summary>
    /// <param name="filter">Filters and page size; its offset is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration (checked before each page).</param>
    /// <returns>The traces, lazily.</returns>
    public virtual async IAsyncEnumerable<SidClawTraceSummary> ListAllTracesAsync(SidClawTraceListFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new SidClawTraceListFilter
        {
            AgentId = filter?.AgentId,
            Outcome = filter?.Outcome,
            From = filter?.From,
            To = filter?.To,
            Limit = filter?.Limit,
            Offset = filter?.Offset ?? 0,
        };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = await ListTracesAsync(page, cancellationToken).ConfigureAwait(false);
            var traces = list.Data ?? [];
            foreach (var trace in traces)
            {
                yield return trace;
            }

            page.Offset += traces.Count;
            if (traces.Count == 0 || (list.Pagination?.Total is { } total && page.Offset >= total))
            {
                yield break;
            }
        }
    }

    /// <summary>A trace with its events and approval requests (<c>GET /api/v1/traces/{id}</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The trace.</returns>
    public virtual Task<SidClawTrace> GetTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("SidClaw.GetTrace", traceId, HttpMethod.Get, TracePath(traceId), null, null, VendorJsonContext.Default.SidClawTrace, cancellationToken);
    }

    /// <summary>
    /// The trace document exactly as the server sent it (<c>GET /api/v1/traces/{id}</c>): the bytes an offline check of
    /// the event hashes reads (never a re-serialized object, which would not reproduce them).
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body's bytes.</returns>
    public virtual Task<byte[]> GetTraceDocumentAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.GetBytesAsync("SidClaw.GetTraceDocument", traceId, TracePath(traceId), null, cancellationToken);
    }

    /// <summary>
    /// Records the operation's outcome (<c>POST /api/v1/traces/{id}/outcome</c>, scope <c>traces:write</c>;
    /// <c>204</c>). <c>409 conflict</c> on a blocked, denied or expired trace or one awaiting approval; another
    /// <c>success</c> on an executed trace is accepted and appends another event.
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="request">The outcome; <c>status</c> is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted it.</returns>
    public virtual Task RecordOutcomeAsync(string traceId, SidClawOutcomeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.Status, nameof(request));
        return _core.SendNoContentAsync("SidClaw.RecordOutcome", traceId, HttpMethod.Post, TracePath(traceId) + "/outcome",
            ClientCore.Json(request, VendorJsonContext.Default.SidClawOutcomeRequest), cancellationToken);
    }

    /// <summary>Adds token usage and cost to a trace (<c>PATCH /api/v1/traces/{id}/telemetry</c>; <c>204</c>; counters add up).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="request">At least one member.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server accepted it.</returns>
    public virtual Task AppendTelemetryAsync(string traceId, SidClawTelemetryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        ArgumentNullException.ThrowIfNull(request);
        return _core.SendNoContentAsync("SidClaw.AppendTelemetry", traceId, HttpMethod.Patch, TracePath(traceId) + "/telemetry",
            ClientCore.Json(request, VendorJsonContext.Default.SidClawTelemetryRequest), cancellationToken);
    }

    /// <summary>The server's own walk of the event hash chain (<c>GET /api/v1/traces/{id}/verify</c>); only as trustworthy as the server.</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>{verified, total_events, verified_events, broken_at}</c>.</returns>
    public virtual Task<SidClawVerification> VerifyTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("SidClaw.VerifyTrace", traceId, HttpMethod.Get, TracePath(traceId) + "/verify", null, null, VendorJsonContext.Default.SidClawVerification, cancellationToken);
    }

    /// <summary>The single-trace export (<c>GET /api/v1/traces/{id}/export</c>, reviewer or admin).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><c>{trace, events, approval_requests, exported_at}</c>.</returns>
    public virtual Task<SidClawTraceExport> ExportTraceAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.SendAsync("SidClaw.ExportTrace", traceId, HttpMethod.Get, TracePath(traceId) + "/export", null, null, VendorJsonContext.Default.SidClawTraceExport, cancellationToken);
    }

    /// <summary>The single-trace export's bytes exactly as sent, to archive.</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body's bytes.</returns>
    public virtual Task<byte[]> ExportTraceDocumentAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        return _core.GetBytesAsync("SidClaw.ExportTraceDocument", traceId, TracePath(traceId) + "/export", null, cancellationToken);
    }

    /// <summary>
    /// Opens the bulk trace export (<c>GET /api/v1/traces/export?from&amp;to&amp;format=csv[&amp;agent_id]</c>, scope
    /// <c>traces:read</c>): a stream with <c>x-total-count</c>. <c>413 export_too_large</c> over 100,000 traces.
    /// </summary>
    /// <param name="from">Traces started at or after.</param>
    /// <param name="to">Traces started at or before.</param>
    /// <param name="agentId">Only this agent's traces.</param>
    /// <param name="cancellationToken">Cancels opening (reading is cancelled through the reader's own token).</param>
    /// <returns>The export; dispose it.</returns>
    public virtual Task<SidClawTraceCsvExport> ExportTracesCsvAsync(DateTimeOffset from, DateTimeOffset to, string? agentId = null, CancellationToken cancellationToken = default)
    {
        var query = new VendorQuery().Add("from", from).Add("to", to).Add("format", "csv").Add("agent_id", agentId);
        return OpenAsync("SidClaw.ExportTracesCsv", "api/v1/traces/export", query, (response, body) => new SidClawTraceCsvExport(response, body), cancellationToken);
    }

    /// <summary>The bulk trace export's rows, streamed (opens, reads and releases the export).</summary>
    /// <param name="from">Traces started at or after.</param>
    /// <param name="to">Traces started at or before.</param>
    /// <param name="agentId">Only this agent's traces.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The rows, oldest first.</returns>
    public virtual async IAsyncEnumerable<SidClawTraceExportRow> StreamTraceExportRowsAsync(DateTimeOffset from, DateTimeOffset to, string? agentId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var export = await ExportTracesCsvAsync(from, to, agentId, cancellationToken).ConfigureAwait(false);
        await using (export.ConfigureAwait(false))
        {
            await foreach (var row in export.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    /// <summary>
    /// Opens the SIEM audit export (<c>GET /api/v1/audit/export?from&amp;to&amp;format</c>, scope <c>admin</c>): every
    /// audit event in the window, with its integrity hash, as a stream with <c>x-total-count</c>.
    /// </summary>
    /// <param name="from">Events at or after.</param>
    /// <param name="to">Events at or before.</param>
    /// <param name="format">JSON (default) or CSV.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The export; dispose it.</returns>
    public virtual Task<SidClawAuditExport> ExportAuditEventsAsync(DateTimeOffset from, DateTimeOffset to, SidClawExportFormat format = SidClawExportFormat.Json, CancellationToken cancellationToken = default)
    {
        var query = new VendorQuery().Add("from", from).Add("to", to).Add("format", format == SidClawExportFormat.Csv ? "csv" : "json");
        return OpenAsync("SidClaw.ExportAuditEvents", "api/v1/audit/export", query, (response, body) => new SidClawAuditExport(response, body, format), cancellationToken);
    }

    /// <summary>The SIEM audit export's events, streamed (opens, reads and releases the export).</summary>
    /// <param name="from">Events at or after.</param>
    /// <param name="to">Events at or before.</param>
    /// <param name="format">JSON (default) or CSV.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events, oldest first.</returns>
    public virtual async IAsyncEnumerable<SidClawAuditEvent> StreamAuditEventsAsync(DateTimeOffset from, DateTimeOffset to, SidClawExportFormat format = SidClawExportFormat.Json, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var export = await ExportAuditEventsAsync(from, to, format, cancellationToken).ConfigureAwait(false);
        await using (export.ConfigureAwait(false))
        {
            await foreach (var item in export.ReadEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    /// <summary>An approval request with its context (<c>GET /api/v1/approvals/{id}</c>).</summary>
    /// <param name="approvalId">The approval request id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The approval request.</returns>
    public virtual Task<SidClawApproval> GetApprovalAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(approvalId);
        return _core.SendAsync("SidClaw.GetApproval", null, HttpMethod.Get, ApprovalPath(approvalId), null, null, VendorJsonContext.Default.SidClawApproval, cancellationToken);
    }

    /// <summary>Approves a request (<c>POST /api/v1/approvals/{id}/approve</c>, reviewer or admin).</summary>
    /// <param name="approvalId">The approval request id.</param>
    /// <param name="decision">The approver's name and note.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decided request.</returns>
    public virtual Task<SidClawApproval> ApproveAsync(string approvalId, SidClawApprovalDecision decision, CancellationToken cancellationToken = default) =>
        DecideAsync("SidClaw.Approve", approvalId, "/approve", decision, cancellationToken);

    /// <summary>Denies a request (<c>POST /api/v1/approvals/{id}/deny</c>, reviewer or admin).</summary>
    /// <param name="approvalId">The approval request id.</param>
    /// <param name="decision">The approver's name and note.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decided request.</returns>
    public virtual Task<SidClawApproval> DenyAsync(string approvalId, SidClawApprovalDecision decision, CancellationToken cancellationToken = default) =>
        DecideAsync("SidClaw.Deny", approvalId, "/deny", decision, cancellationToken);

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

    private Task<SidClawApproval> DecideAsync(string operation, string approvalId, string suffix, SidClawApprovalDecision decision, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(approvalId);
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentException.ThrowIfNullOrEmpty(decision.ApproverName, nameof(decision));
        return _core.SendAsync(operation, null, HttpMethod.Post, ApprovalPath(approvalId) + suffix, null,
            ClientCore.Json(decision, VendorJsonContext.Default.SidClawApprovalDecision), VendorJsonContext.Default.SidClawApproval, cancellationToken);
    }

    private async Task<T> OpenAsync<T>(string operation, string path, VendorQuery query, Func<HttpResponseMessage, Stream, T> create, CancellationToken cancellationToken)
    {
        var response = await _core.OpenStreamAsync(operation, null, path, query, cancellationToken).ConfigureAwait(false);
        try
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return create(response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static string TracePath(string traceId) => "api/v1/traces/" + Uri.EscapeDataString(traceId);

    private static string ApprovalPath(string approvalId) => "api/v1/approvals/" + Uri.EscapeDataString(approvalId);
}
