using Traces.Client.Diagnostics;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Services;

namespace Traces.Client.Operations;

/// <summary>
/// Sealing as a long-running operation: the service answers <c>202 Accepted</c> at once and seals in the background;
/// this object polls <c>GET /v1/traces/{trace_id}</c> until the trace is <c>sealed</c> or <c>failed</c>. A process
/// that restarts can resume with <see cref="SealTraceOperation(TracesClient, string)"/>.
/// </summary>
public class SealTraceOperation
{
    private readonly TracesService _service = null!;
    private TraceDetails? _value;
    private TracesApiException? _failure;
    private TimeSpan? _retryAfter;

    /// <summary>For mocking.</summary>
    protected SealTraceOperation()
    {
        Id = string.Empty;
    }

    /// <summary>
    /// Rehydrates the operation of a trace whose seal was started earlier (or elsewhere). Its state is unknown until
    /// <see cref="UpdateStatusAsync"/> or <see cref="WaitForCompletionAsync"/> runs.
    /// </summary>
    /// <param name="client">The client to poll with.</param>
    /// <param name="traceId">The trace being sealed.</param>
    public SealTraceOperation(TracesClient client, string traceId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId);
        _service = client.Traces;
        Id = traceId;
    }

    internal SealTraceOperation(TracesService service, string traceId, SealTraceResponse response, TimeSpan? retryAfter)
    {
        _service = service;
        Id = response.TraceId ?? traceId;
        InitialResponse = response;
        _retryAfter = retryAfter;
        Status = response.Status;
        if (response.Status is null && response.IntegrityRootHash is not null)
        {
            // Novyx's complete answers synchronously with the root hash and no status: sealed already, but the
            // sealed trace itself still has to be fetched once.
            Status = TraceStatus.Sealed;
        }
    }

    /// <summary>The id of the trace being sealed.</summary>
    public virtual string Id { get; }

    /// <summary>The answer of the seal call, or <c>null</c> for a rehydrated operation.</summary>
    public virtual SealTraceResponse? InitialResponse { get; }

    /// <summary>The last status seen; <c>null</c> before the first poll of a rehydrated operation.</summary>
    public virtual TraceStatus? Status { get; private set; }

    /// <summary>Whether the seal has finished, successfully or not (the sealed trace has been fetched, or it failed).</summary>
    public virtual bool HasCompleted => _value is not null || _failure is not null;

    /// <summary>Whether <see cref="Value"/> is available.</summary>
    public virtual bool HasValue => _value is not null;

    /// <summary>The sealed trace.</summary>
    /// <remarks>
    /// A failed seal is reported by a successful poll, so its exception carries status 200 and the server's
    /// <c>error.code</c> (for example <c>signing_unavailable</c>) as <see cref="TracesApiException.ErrorCode"/>.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The operation has not completed.</exception>
    /// <exception cref="TracesApiException">The seal failed; carries the server's <c>error.code</c>.</exception>
    public virtual TraceDetails Value =>
        _failure is not null ? throw _failure
        : _value ?? throw new InvalidOperationException($"Sealing of trace {Id} has not completed; call WaitForCompletionAsync.");

    /// <summary>Polls the trace once and updates <see cref="Status"/>, <see cref="HasCompleted"/> and <see cref="Value"/>.</summary>
    /// <param name="cancellationToken">Cancels the poll.</param>
    /// <returns>
    /// The trace as the server reported it: with every entry once it is sealed, and with the first page of entries
    /// (<see cref="TraceDetails.EventHasMore"/> says whether there are more) while it is not.
    /// </returns>
    public virtual async Task<TraceDetails> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        var (trace, retryAfter) = await _service.PollSealAsync(Id, cancellationToken).ConfigureAwait(false);
        _retryAfter = retryAfter;
        Status = trace.Status;
        if (trace.Status == TraceStatus.Sealed)
        {
            _value = trace;
        }
        else if (trace.Status == TraceStatus.Failed)
        {
            var code = trace.Error?.Code;
            _failure = new TracesApiException(
                $"Sealing trace {Id} failed: {trace.Error?.Message ?? "no reason given"}{(code is null ? string.Empty : $" (code {code})")}",
                200,
                code,
                null,
                null,
                null,
                null);
        }

        return trace;
    }

    /// <summary>
    /// Polls until the trace is sealed or failed. Waits <paramref name="pollingInterval"/> between polls (or the
    /// server's <c>Retry-After</c> when longer), doubling the interval up to
    /// <see cref="TracesClientOptions.MaxSealPollingInterval"/>; gives up after
    /// <see cref="TracesClientOptions.SealTimeout"/>.
    /// </summary>
    /// <param name="pollingInterval">The first delay between polls; <see cref="TracesClientOptions.SealPollingInterval"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the wait (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The sealed trace.</returns>
    /// <exception cref="TracesApiException">The seal failed (the server's <c>error.code</c>) or the wait timed out (code <c>timeout</c>, status 0).</exception>
    public virtual async Task<TraceDetails> WaitForCompletionAsync(TimeSpan? pollingInterval = null, CancellationToken cancellationToken = default)
    {
        if (pollingInterval is { } given)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(given, TimeSpan.Zero, nameof(pollingInterval));
        }

        var options = _service.Core.Options;
        var interval = pollingInterval ?? options.SealPollingInterval;
        var maxInterval = interval > options.MaxSealPollingInterval ? interval : options.MaxSealPollingInterval;
        using var scope = CallScope.Start(_service.Core.Metrics, "Traces.SealOperation.Wait", Id);
        using var timeout = new CancellationTokenSource(options.SealTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Known sealed (e.g. Novyx complete) or unknown (rehydrated): poll at once.
            var pollNow = Status is null || Status == TraceStatus.Sealed;
            while (!HasCompleted)
            {
                if (!pollNow)
                {
                    var delay = _retryAfter is { } retryAfter && retryAfter > interval ? retryAfter : interval;
                    await Task.Delay(delay, linked.Token).ConfigureAwait(false);
                    interval = interval * 2 > maxInterval ? maxInterval : interval * 2;
                }

                pollNow = false;
                await UpdateStatusAsync(linked.Token).ConfigureAwait(false);
            }

            if (_failure is not null)
            {
                scope.Fail(_failure, _failure.ErrorCode);
            }

            return Value;
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var timedOut = new TracesApiException(
                $"Trace {Id} was not sealed within {options.SealTimeout} (last status {Status?.Value ?? "unknown"}).",
                0,
                TracesErrorCodes.Timeout,
                null,
                null,
                null,
                ex);
            scope.Fail(timedOut, timedOut.ErrorCode);
            throw timedOut;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            scope.Cancel();
            throw;
        }
    }
}
