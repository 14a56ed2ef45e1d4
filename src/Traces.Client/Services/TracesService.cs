using System.Globalization;
using System.Runtime.CompilerServices;
using Traces.Client.Http;
using Traces.Client.Models;
using Traces.Client.Operations;
using Traces.Client.Serialization;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Client.Services;

/// <summary>
/// Traces: create, list, get, add steps, seal (as an operation), proof, certificate, public keys, and verification
/// (the server's and, preferably, your own offline). Reached through <see cref="TracesClient.Traces"/>.
/// </summary>
public class TracesService
{
    private readonly ClientCore _core = null!;

    /// <summary>For mocking.</summary>
    protected TracesService()
    {
    }

    internal TracesService(ClientCore core) => _core = core;

    internal ClientCore Core => _core;

    /// <summary>Creates an open trace (<c>POST /v1/traces</c>).</summary>
    /// <param name="request">The trace; <c>label</c> (≤ 255 characters) is required unless <c>agent_id</c> is given.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new trace with its server-generated id.</returns>
    /// <exception cref="Errors.TracesValidationException"><c>invalid_label</c> or <c>metadata_too_large</c>, checked before sending.</exception>
    /// <exception cref="Errors.TracesApiException">The service refused the request or could not be reached.</exception>
    public virtual Task<TraceDetails> CreateAsync(CreateTraceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientValidation.Label(request.Label, required: request.AgentId is null);
        ClientValidation.Metadata(request.Metadata);
        var key = _core.IdempotencyKeyFor(request.IdempotencyKey);
        return _core.CallAsync("Traces.Create", null, async ct =>
        {
            var trace = await _core.Api.CreateTraceAsync(request, key, ct).ConfigureAwait(false);
            Diagnostics.CallScope.Current?.SetTraceId(trace.TraceId);
            return trace;
        }, cancellationToken);
    }

    /// <summary>Events are fetched in pages of this size (Invoance's largest <c>event_limit</c>, SDK models/traces.ts).</summary>
    internal const int EventPageSize = 200;

    // The query of every GetAsync's first page, written once.
    private const string FirstPageQuery = "?event_page=1&event_limit=200";

    /// <summary>One page of the tenant's traces (<c>GET /v1/traces</c>).</summary>
    /// <param name="filter">Filters, page size, and page number or cursor; <c>null</c> for the first page of everything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with <see cref="TraceList.Page"/> and, where the service has one, <see cref="TraceList.NextCursor"/>.</returns>
    public virtual Task<TraceList> ListAsync(TraceListFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if (filter?.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(filter));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100, nameof(filter));
        }

        if (filter?.Page is { } number)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(number, 1, nameof(filter));
            if (filter.Cursor is not null)
            {
                throw new ArgumentException("TraceListFilter.Page and TraceListFilter.Cursor cannot both be set; give one.", nameof(filter));
            }
        }

        var status = filter?.Status?.Value;
        var from = filter?.From is { } f ? Rfc3339TimestampConverter.Format(f) : null;
        var to = filter?.To is { } t ? Rfc3339TimestampConverter.Format(t) : null;
        return _core.CallAsync(
            "Traces.List",
            null,
            ct => _core.Api.ListTracesAsync(status, filter?.AgentId, from, to, filter?.Limit, filter?.Cursor, filter?.Page, ct),
            cancellationToken);
    }

    /// <summary>
    /// Every trace matching <paramref name="filter"/>, page by page: by <c>next_cursor</c> where the service gives one
    /// (the local server; the cursor is stable, traces created meanwhile do not shift later pages), else by page number
    /// (Invoance, which has no cursor).
    /// </summary>
    /// <param name="filter">Filters and page size; its <see cref="TraceListFilter.Cursor"/> or <see cref="TraceListFilter.Page"/> is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration (checked before each page).</param>
    /// <returns>The traces, lazily.</returns>
    public virtual async IAsyncEnumerable<TraceSummary> ListAllAsync(TraceListFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new TraceListFilter
        {
            Status = filter?.Status,
            AgentId = filter?.AgentId,
            From = filter?.From,
            To = filter?.To,
            Limit = filter?.Limit,
            Cursor = filter?.Cursor,
            Page = filter?.Page,
        };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = await ListAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var trace in list.Traces ?? [])
            {
                yield return trace;
            }

            if (list.HasMore == false)
            {
                yield break;
            }

            if (!string.IsNullOrEmpty(list.NextCursor))
            {
                if (list.NextCursor == page.Cursor)
                {
                    yield break;
                }

                page.Cursor = list.NextCursor;
                page.Page = null;
            }
            else if (list.HasMore == true && list.Traces is { Count: > 0 })
            {
                // No cursor (Invoance): the next page number; an empty page that claims more ends the walk, not a loop.
                page.Page = (list.Page ?? page.Page ?? 1) + 1;
                page.Cursor = null;
            }
            else
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// One trace with all its entries (<c>GET /v1/traces/{trace_id}</c>), fetched in event pages of 200 as Invoance
    /// pages them (<c>event_page</c>, <c>event_limit</c>) and joined: <see cref="TraceDetails.Events"/> holds every entry.
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The trace.</returns>
    /// <exception cref="Errors.TracesNotFoundException">No such trace for this tenant.</exception>
    public virtual Task<TraceDetails> GetAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));

        // The state is a static function's: no closure, and no task but the public one when the answer is at hand.
        return _core.CallAsync("Traces.Get", traceId, (Service: this, TraceId: traceId), static (state, scope, ct) =>
            state.Service.GetAllPagesAsync(state.TraceId, null, onlyOnceSealed: false, scope, ct), cancellationToken);
    }

    /// <summary>One trace with one page of its entries (<c>GET /v1/traces/{trace_id}?event_page&amp;event_limit</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="eventPage">The 1-based page of entries.</param>
    /// <param name="eventLimit">Entries per page, 1–200.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The trace with that page in <see cref="TraceDetails.Events"/> and <see cref="TraceDetails.EventHasMore"/>.</returns>
    public virtual Task<TraceDetails> GetEventPageAsync(string traceId, int eventPage, int eventLimit, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        ArgumentOutOfRangeException.ThrowIfLessThan(eventPage, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(eventLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(eventLimit, EventPageSize);
        return _core.CallAsync("Traces.GetEventPage", traceId, async ct =>
            await GetPageAsync(traceId, eventPage, eventLimit, null, ct).ConfigureAwait(false), cancellationToken);
    }

    /// <summary>
    /// One seal poll: the trace with its first page of entries and the first answer's <c>Retry-After</c>. The other
    /// pages are followed only once the trace is <c>sealed</c>: a trace still sealing is polled again, and following
    /// its pages at every poll would fetch the whole trace each time (a 100,000-entry trace is 500 requests a poll).
    /// </summary>
    internal Task<(TraceDetails Trace, TimeSpan? RetryAfter)> PollSealAsync(string traceId, CancellationToken cancellationToken)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        return _core.CallAsync("Traces.Get", traceId, async ct =>
        {
            var retryAfter = new StrongBox<TimeSpan?>();
            var trace = await GetAllPagesAsync(traceId, retryAfter, onlyOnceSealed: true, null, ct).ConfigureAwait(false);
            return (trace, retryAfter.Value);
        }, cancellationToken);
    }

    /// <summary>
    /// The first page of entries and, when the server says there are more (and, with <paramref name="onlyOnceSealed"/>,
    /// the trace is sealed), every following one, joined into the first page's trace. A <see cref="ValueTask{T}"/>, so a
    /// trace whose entries fit in one page costs no task here.
    /// </summary>
    private async ValueTask<TraceDetails> GetAllPagesAsync(string traceId, StrongBox<TimeSpan?>? retryAfter, bool onlyOnceSealed, Diagnostics.CallScope? scope, CancellationToken ct)
    {
        // The first page inline (not through GetPageAsync): one state machine less on every GetAsync.
        var response = await _core.SendAsync(ClientRoute.GetTrace, traceId, FirstPageQuery, null, null, scope, ct).ConfigureAwait(false);
        retryAfter?.Value = ErrorMapper.RetryAfterOf(response);
        var trace = await ClientCore.ReadAsync(response, TracesClientJsonContext.Default.TraceDetails, ct).ConfigureAwait(false);
        if (trace.EventHasMore == true && (!onlyOnceSealed || trace.Status == TraceStatus.Sealed))
        {
            await FollowPagesAsync(traceId, trace, scope, ct).ConfigureAwait(false);
        }

        return trace;
    }

    /// <summary>Reads the pages after <paramref name="first"/> and joins their entries into it.</summary>
    private async Task FollowPagesAsync(string traceId, TraceDetails first, Diagnostics.CallScope? scope, CancellationToken ct)
    {
        var events = new List<TraceEntrySummary>(first.Events ?? []);
        var next = first;
        for (var page = 2; next.EventHasMore == true && next.Events is { Count: > 0 }; page++)
        {
            next = await GetPageAsync(traceId, page, EventPageSize, scope, ct).ConfigureAwait(false);
            events.AddRange(next.Events ?? []);
        }

        first.Events = events;
        first.EventHasMore = false;
        first.EventLimit = events.Count;
    }

    private async ValueTask<TraceDetails> GetPageAsync(string traceId, int eventPage, int eventLimit, Diagnostics.CallScope? scope, CancellationToken ct)
    {
        // Without Refit's per-call work (ClientRoute); the query as Refit writes an [AliasAs] parameter.
        var query = eventPage == 1 && eventLimit == EventPageSize
            ? FirstPageQuery
            : string.Create(CultureInfo.InvariantCulture, $"?event_page={eventPage}&event_limit={eventLimit}");
        var response = await _core.SendAsync(ClientRoute.GetTrace, traceId, query, null, null, scope, ct).ConfigureAwait(false);
        return await ClientCore.ReadAsync(response, TracesClientJsonContext.Default.TraceDetails, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes an empty open trace (<c>DELETE /v1/traces/{trace_id}</c>, Invoance).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The service's answer (<see cref="DeleteTraceResult.Deleted"/>).</returns>
    /// <exception cref="Errors.TracesConflictException"><c>trace_not_empty</c>, <c>trace_sealing</c> or <c>trace_sealed</c>.</exception>
    /// <exception cref="Errors.TracesNotFoundException">No such trace for this tenant.</exception>
    public virtual Task<DeleteTraceResult> DeleteAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        return _core.CallAsync("Traces.Delete", traceId, ct => _core.Api.DeleteTraceAsync(traceId, ct), cancellationToken);
    }

    /// <summary>
    /// The proof of a sealed trace as a PDF for people (<c>GET /v1/traces/{trace_id}/proof/pdf</c>). The caller
    /// disposes the stream. Auditors verify the JSON bundle (<see cref="VerifyOfflineAsync"/>), not the PDF.
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call and the read.</param>
    /// <returns>The PDF's bytes as a readable stream.</returns>
    /// <exception cref="Errors.TracesConflictException">The trace is not sealed yet.</exception>
    public virtual Task<Stream> GetProofPdfAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        return _core.CallAsync<Stream>("Traces.GetProofPdf", traceId, async ct =>
        {
            using var response = await _core.Api.GetProofPdfAsync(traceId, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorMapper.FromResponseAsync(response, ct).ConfigureAwait(false);
            }

            // Buffered: the stream stays readable after the call's response (and its retries and timeouts) are gone.
            return new MemoryStream(await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false), writable: false);
        }, cancellationToken);
    }

    /// <summary>Adds an agent step to an open trace (<c>POST /v1/traces/{trace_id}/steps</c>, Novyx).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="request">The step.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The step's receipt with its chain hash.</returns>
    /// <exception cref="Errors.TracesConflictException">The trace is sealing or sealed.</exception>
    public virtual Task<StepReceipt> AddStepAsync(string traceId, AddStepRequest request, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        ArgumentNullException.ThrowIfNull(request);
        ClientValidation.Required(request.Type.Value, "AddStepRequest.Type", "a step type such as StepType.Thought (THOUGHT, ACTION, OBSERVATION, OUTPUT, ERROR or POLICY_CHECK)");
        ClientValidation.Metadata(request.Metadata);
        var key = _core.IdempotencyKeyFor(request.IdempotencyKey);
        return _core.CallAsync("Traces.AddStep", traceId, (Core: _core, TraceId: traceId, Request: request, Key: key), static async (state, scope, ct) =>
        {
            var body = ClientCore.Json(state.Request, TracesClientJsonContext.Default.AddStepRequest);
            var response = await state.Core.SendAsync(ClientRoute.AddStep, state.TraceId, null, body, state.Key, scope, ct).ConfigureAwait(false);
            return await ClientCore.ReadAsync(response, TracesClientJsonContext.Default.StepReceipt, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Starts sealing (<c>POST /v1/traces/{trace_id}/seal</c>) and returns the operation that tracks it. Sealing is
    /// permanent and idempotent.
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call (not the seal, which the server carries out regardless).</param>
    /// <returns>The operation; await <see cref="SealTraceOperation.WaitForCompletionAsync"/> for the sealed trace.</returns>
    /// <exception cref="Errors.TracesValidationException"><c>empty_trace</c>.</exception>
    public virtual Task<SealTraceOperation> SealAsync(string traceId, CancellationToken cancellationToken = default) =>
        StartSealAsync(traceId, complete: false, cancellationToken);

    /// <summary>The Novyx name of <see cref="SealAsync"/> (<c>POST /v1/traces/{trace_id}/complete</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The operation.</returns>
    public virtual Task<SealTraceOperation> CompleteAsync(string traceId, CancellationToken cancellationToken = default) =>
        StartSealAsync(traceId, complete: true, cancellationToken);

    /// <summary>Seals and waits until the trace is sealed (polling as <see cref="SealTraceOperation.WaitForCompletionAsync"/> does).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The sealed trace.</returns>
    /// <exception cref="Errors.TracesApiException">The seal failed (the server's <c>error.code</c>), or timed out (<c>timeout</c>).</exception>
    public virtual async Task<TraceDetails> SealAndWaitAsync(string traceId, CancellationToken cancellationToken = default)
    {
        var operation = await SealAsync(traceId, cancellationToken).ConfigureAwait(false);
        return await operation.WaitForCompletionAsync(null, cancellationToken).ConfigureAwait(false);
    }

    private Task<SealTraceOperation> StartSealAsync(string traceId, bool complete, CancellationToken cancellationToken)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        var key = _core.IdempotencyKeyFor(null);
        return _core.CallAsync(complete ? "Traces.Complete" : "Traces.Seal", traceId, async ct =>
        {
            var response = complete
                ? await _core.Api.CompleteTraceAsync(traceId, key, ct).ConfigureAwait(false)
                : await _core.Api.SealTraceAsync(traceId, key, ct).ConfigureAwait(false);
            var retryAfter = ErrorMapper.RetryAfterOf(response);
            var seal = await ClientCore.ReadAsync(response, TracesClientJsonContext.Default.SealTraceResponse, ct).ConfigureAwait(false);
            return new SealTraceOperation(this, traceId, seal, retryAfter);
        }, cancellationToken);
    }

    /// <summary>The proof bundle of a sealed trace (<c>GET /v1/traces/{trace_id}/proof</c>), ready for <c>BundleVerifier</c>.</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The bundle, read with <see cref="TracesJsonContext.Default"/>.</returns>
    /// <exception cref="Errors.TracesConflictException"><c>trace_not_sealed</c> or <c>trace_sealing</c>.</exception>
    public virtual Task<ProofBundle> GetProofAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        return _core.CallAsync("Traces.GetProof", traceId, async ct =>
            await ClientCore.ReadAsync(await _core.Api.GetProofAsync(traceId, streamed: false, ct).ConfigureAwait(false), TracesJsonContext.Default.ProofBundle, ct).ConfigureAwait(false),
            cancellationToken);
    }

    /// <summary>
    /// Saves the proof bundle of a sealed trace to a file (<c>GET /v1/traces/{trace_id}/proof</c>), byte for byte as
    /// the service sent it: the file an auditor checks with <see cref="BundleVerifier.VerifyFileAsync"/> or
    /// <c>traces verify</c>. The bundle is written beside <paramref name="path"/> first and moved into place, so
    /// <paramref name="path"/> never holds a partial download; an existing file is replaced.
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="path">Where to save the bundle; its directory must exist (checked before the request is sent).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="Errors.TracesConflictException"><c>trace_not_sealed</c> or <c>trace_sealing</c>.</exception>
    /// <exception cref="Errors.TracesApiException"><c>invalid_response</c> when the body is not one JSON object (nothing is written).</exception>
    /// <exception cref="DirectoryNotFoundException">The directory of <paramref name="path"/> does not exist.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public virtual Task<long> DownloadProofAsync(string traceId, string path, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(target);
        if (directory is null || !Directory.Exists(directory))
        {
            // Checked before the call, so a typo in the path costs no request.
            throw new DirectoryNotFoundException($"Cannot save the proof to '{path}': the directory '{directory}' does not exist.");
        }

        return DownloadProofCoreAsync(traceId, target, cancellationToken);
    }

    private async Task<long> DownloadProofCoreAsync(string traceId, string target, CancellationToken cancellationToken)
    {
        var temporary = ProofFiles.TemporaryPathFor(target);
        try
        {
            var length = await _core.CallAsync("Traces.DownloadProof", traceId, async ct =>
            {
                using var response = await _core.Api.GetProofAsync(traceId, streamed: true, ct).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw await ErrorMapper.FromResponseAsync(response, ct).ConfigureAwait(false);
                }

                // The raw bytes, not a re-serialized ProofBundle: the saved file is exactly what the service sent, and
                // the verifier reads it strictly (duplicate members, I-JSON) as it would any auditor's copy. Streamed to
                // the file as they arrive and checked on the way, so a large proof is never held in memory (issue 14).
                var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    var (written, problem, head) = await ProofFiles.SaveOneJsonObjectAsync(body, temporary, ct).ConfigureAwait(false);
                    return problem is null ? written : throw ErrorMapper.InvalidResponse(response, head, problem);
                }
            }, cancellationToken).ConfigureAwait(false);

            // Renamed into place only when whole and well-formed: the target is never a partial download.
            File.Move(temporary, target, overwrite: true);
            return length;
        }
        catch (ProofFiles.DiskException ex)
        {
            // A failing disk is an IOException of its own, not a network error of the service.
            DeleteQuietly(temporary);
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException!);
            throw;
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path); // no-op when it was never created
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The certificate of a sealed trace (<c>GET /v1/traces/{trace_id}/certificate</c>).</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The certificate.</returns>
    public virtual Task<TraceCertificate> GetCertificateAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        return _core.CallAsync("Traces.GetCertificate", traceId, async ct =>
            await ClientCore.ReadAsync(await _core.Api.GetCertificateAsync(traceId, ct).ConfigureAwait(false), TracesJsonContext.Default.TraceCertificate, ct).ConfigureAwait(false),
            cancellationToken);
    }

    /// <summary>
    /// The keys the service publishes (<c>GET /v1/traces/public-key</c>). Publishing is not trusting: pin keys obtained
    /// out of band in the <c>TrustPolicy</c> you verify with.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key set.</returns>
    public virtual Task<PublishedKeySet> GetPublicKeysAsync(CancellationToken cancellationToken = default) =>
        _core.CallAsync("Traces.GetPublicKeys", null, async ct =>
            await ClientCore.ReadAsync(await _core.Api.GetPublicKeysAsync(ct).ConfigureAwait(false), TracesJsonContext.Default.PublishedKeySet, ct).ConfigureAwait(false),
            cancellationToken);

    /// <summary>
    /// The server's own check (<c>POST /v1/traces/{trace_id}/verify</c>). Only as trustworthy as the server; auditors
    /// should use <see cref="VerifyOfflineAsync"/>.
    /// </summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's answer.</returns>
    public virtual Task<ServerVerificationResult> VerifyAsync(string traceId, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        var key = _core.IdempotencyKeyFor(null);
        return _core.CallAsync("Traces.Verify", traceId, ct => _core.Api.VerifyTraceAsync(traceId, key, ct), cancellationToken);
    }

    /// <summary>
    /// Fetches the proof bundle and verifies it here, with <see cref="BundleVerifier"/> under
    /// <paramref name="trustPolicy"/>: every hash, chain link, Merkle root and signature is recomputed locally, and
    /// only keys you pinned are trusted. The server's <c>/verify</c> answer is never consulted.
    /// </summary>
    /// <param name="traceId">The sealed trace.</param>
    /// <param name="trustPolicy">The keys you trust, obtained out of band (not from the server you are checking).</param>
    /// <param name="cancellationToken">Cancels download and verification.</param>
    /// <returns>The report; <see cref="Verdict.Valid"/> only when everything checks out under the pinned keys.</returns>
    /// <exception cref="Errors.TracesConflictException">The trace is not sealed yet.</exception>
    public virtual Task<VerificationReport> VerifyOfflineAsync(string traceId, TrustPolicy trustPolicy, CancellationToken cancellationToken = default)
    {
        ClientValidation.TraceId(traceId, nameof(traceId));
        ArgumentNullException.ThrowIfNull(trustPolicy);
        return _core.CallAsync("Traces.VerifyOffline", traceId, async ct =>
        {
            using var response = await _core.Api.GetProofAsync(traceId, streamed: true, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorMapper.FromResponseAsync(response, ct).ConfigureAwait(false);
            }

            // The raw bytes, not a re-serialized object: the verifier reads them strictly (duplicate members,
            // unknown members, I-JSON), exactly as an auditor's copy would be read. Unbuffered (streamed: true), so
            // the bundle goes from the socket into the verifier and is never held whole (issue 14).
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await new BundleVerifier(trustPolicy).VerifyAsync(stream, ct).ConfigureAwait(false);
            }
        }, cancellationToken);
    }
}
