using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Traces.Client.Models;
using Traces.Extensions.AI.Content;
using Traces.Extensions.AI.Diagnostics;
using Traces.Extensions.AI.Transcripts;

namespace Traces.Extensions.AI.Recording;

/// <summary>
/// One agent run's record: the trace it writes into (given, or started on first use), the entries in the order they
/// happened, the content policy, what a write failure does, and sealing when the caller says the run is over.
/// Thread-safe: concurrent model calls each write their entries as one uninterrupted group.
/// </summary>
/// <remarks>
/// Writes are not cancelled by the agent's cancellation token: what happened is recorded even when the caller gave up
/// waiting (the sink's own timeouts bound them). See docs/ai-recording.md.
/// </remarks>
public sealed class TraceRecorder
{
    private readonly ITraceRecordingSink _sink;
    private readonly TraceRecorderOptions _options;
    private readonly ILogger _logger;
    private readonly EntryFactory _entries;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<QueuedEntry> _queue = [];
    private readonly List<TranscriptEntry> _transcript = [];
    private string? _traceId;
    private bool _sealed;
    private int _modelCalls;
    private long _failures;

    // Entries written late after a failure, so that one ERROR step says which, right after the last of them.
    private readonly List<long?> _lateIndexes = [];
    private Exception? _firstDelayCause;

    // Entries dropped because the queue was full, counted by description, until their ERROR step is queued.
    private QueuedDropNotice? _dropNotice;

    /// <summary>Creates a recorder.</summary>
    /// <param name="sink">Where entries are written, e.g. <see cref="Sinks.TracesClientRecordingSink"/>.</param>
    /// <param name="options">The trace, content and failure policies; defaults when <see langword="null"/>.</param>
    /// <param name="logger">Where failures are logged (counts and exception types, never content).</param>
    public TraceRecorder(ITraceRecordingSink sink, TraceRecorderOptions? options = null, ILogger<TraceRecorder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _options = options ?? new TraceRecorderOptions();
        ArgumentNullException.ThrowIfNull(_options.ContentPolicy, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(_options.AttestationType, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxPendingEntries, 1, nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _entries = new EntryFactory(_options.ContentPolicy, _options.AttestationType);
        _traceId = _options.TraceId;
    }

    /// <summary>The trace id: the one given, or the one started on first use; <see langword="null"/> before that.</summary>
    public string? TraceId => Volatile.Read(ref _traceId);

    /// <summary>The content policy entries are written under.</summary>
    public ContentPolicy ContentPolicy => _options.ContentPolicy;

    /// <summary>What a write failure does.</summary>
    public RecordingFailurePolicy FailurePolicy => _options.FailurePolicy;

    /// <summary>Whether <see cref="SealAsync"/> has sealed the trace.</summary>
    public bool IsSealed => Volatile.Read(ref _sealed);

    /// <summary>How many write attempts have failed so far (also counted by the <c>traces.ai.recording.failures</c> metric).</summary>
    public long FailureCount => Interlocked.Read(ref _failures);

    /// <summary>How many entries wait to be written after a failure.</summary>
    public int PendingCount
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Every entry written so far, in full and in order: keep it to disclose later (see <see cref="TranscriptVerifier"/>).</summary>
    public AgentTranscript Transcript
    {
        get
        {
            lock (_transcript)
            {
                return new AgentTranscript { TraceId = TraceId, Entries = [.. _transcript] };
            }
        }
    }

    /// <summary>Starts the trace now if it is not started yet (otherwise the first entry starts it).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The trace id.</returns>
    /// <exception cref="TraceRecordingException">The trace could not be started.</exception>
    public async Task<string> StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfSealed();
            try
            {
                return await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                RecordingTelemetry.Failures.Add(1);
                throw new TraceRecordingException("The trace could not be started.", ex) { PendingEntries = _queue.Count };
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Records a step of the caller's own (e.g. a <c>POLICY_CHECK</c>), under the content policy.</summary>
    /// <param name="type">The step type.</param>
    /// <param name="content">The content.</param>
    /// <param name="metadata">Metadata (copied; never content: it is recorded whatever the policy).</param>
    /// <param name="cancellationToken">Cancels waiting for the recorder's lock; the write itself is not cancelled.</param>
    /// <returns>A task that completes when the step is written, or queued under <see cref="RecordingFailurePolicy.LogAndContinue"/>.</returns>
    /// <exception cref="TraceRecordingException">The step could not be written and the policy is <see cref="RecordingFailurePolicy.Throw"/>.</exception>
    public Task RecordStepAsync(StepType type, string content, JsonObject? metadata = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(type.Value, nameof(type));
        ArgumentNullException.ThrowIfNull(content);
        return CommitAsync((_, list) => list.Add(_entries.Custom(type, content, metadata)), cancellationToken);
    }

    /// <summary>
    /// Writes whatever still waits, then seals the trace and waits until it is sealed. Call it when the run is over;
    /// nothing can be recorded afterwards. Idempotent.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The sealed trace's id.</returns>
    /// <exception cref="TraceRecordingException">
    /// Entries still cannot be written (the trace is left open, so sealing can be tried again), or the seal failed.
    /// </exception>
    /// <exception cref="InvalidOperationException">Nothing was recorded and no trace was given: there is nothing to seal.</exception>
    public async Task<string> SealAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_sealed)
            {
                return _traceId!;
            }

            if (_traceId is null && QueueCount() == 0)
            {
                throw new InvalidOperationException("Nothing was recorded and no trace was given: there is no trace to seal.");
            }

            var failure = await FlushAsync().ConfigureAwait(false);
            if (failure is not null)
            {
                throw new TraceRecordingException(
                    $"The trace was not sealed: {QueueCount()} entries could not be written. It stays open; seal again once the service is reachable.",
                    failure)
                { TraceId = _traceId, PendingEntries = QueueCount() };
            }

            try
            {
                await _sink.SealAsync(_traceId!, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                RecordingTelemetry.Failures.Add(1);
                throw new TraceRecordingException($"Trace {_traceId} could not be sealed.", ex) { TraceId = _traceId };
            }

            Volatile.Write(ref _sealed, true);
            return _traceId!;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Tool results first seen in a model call's request, written before the call goes out.</summary>
    internal Task<int> BeginModelCallAsync(IEnumerable<ChatMessage> request, CancellationToken cancellationToken) =>
        CommitAsync((_, list) => _entries.AddToolResults(request, list), cancellationToken, countModelCall: true);

    /// <summary>A model call's attestation and the steps of its response.</summary>
    internal Task EndModelCallAsync(int modelCall, IReadOnlyList<ChatMessage> request, ChatOptions? options, ChatResponse response, string? provider, string? completion) =>
        CommitAsync((_, list) => _entries.AddResponse(modelCall, request, options, response, provider, completion, list), CancellationToken.None);

    /// <summary>A model call (or agent run) that ended with an exception; a partial streamed response is recorded first.</summary>
    internal Task FailModelCallAsync(int modelCall, IReadOnlyList<ChatMessage> request, ChatOptions? options, ChatResponse? partial, string? provider, Exception exception, bool cancelled) =>
        CommitAsync((_, list) =>
        {
            if (partial is not null)
            {
                _entries.AddResponse(modelCall, request, options, partial, provider, "interrupted", list);
            }

            list.Add(_entries.Failure(modelCall, exception, cancelled));
        }, CancellationToken.None);

    /// <summary>A streamed response whose consumer stopped reading before the end.</summary>
    internal Task AbandonModelCallAsync(int modelCall, IReadOnlyList<ChatMessage> request, ChatOptions? options, ChatResponse partial, string? provider, int updates) =>
        CommitAsync((_, list) =>
        {
            _entries.AddResponse(modelCall, request, options, partial, provider, "interrupted", list);
            list.Add(EntryFactory.Notice(
                $"The caller stopped reading the streamed response after {updates} updates; the rest of the response was never received.",
                new JsonObject { ["error"] = "stream_abandoned", ["model_call"] = modelCall, ["updates"] = updates }));
        }, CancellationToken.None);

    private async Task<int> CommitAsync(Action<int, List<QueuedEntry>> build, CancellationToken cancellationToken, bool countModelCall = false)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfSealed();
            var modelCall = countModelCall ? ++_modelCalls : _modelCalls;
            var built = new List<QueuedEntry>();
            build(modelCall, built);
            Enqueue(built);
            var failure = await FlushAsync().ConfigureAwait(false);
            if (failure is not null && _options.FailurePolicy == RecordingFailurePolicy.Throw)
            {
                throw new TraceRecordingException(
                    $"What the agent did could not be recorded: {QueueCount()} entries wait to be written (they are retried, in order, by the next call or by sealing).",
                    failure)
                { TraceId = _traceId, PendingEntries = QueueCount() };
            }

            return modelCall;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Enqueue(List<QueuedEntry> built)
    {
        lock (_queue)
        {
            foreach (var entry in built)
            {
                if (_queue.Count < _options.MaxPendingEntries)
                {
                    _queue.Add(entry);
                    continue;
                }

                // The queue is full: the entry is lost, and one ERROR step (kept at the end of the queue) counts what.
                if (_dropNotice is null)
                {
                    _dropNotice = new QueuedDropNotice();
                    _queue.Add(_dropNotice);
                }

                _dropNotice.Count(entry.Description);
                RecordingTelemetry.EntriesDropped(_logger, _traceId, 1, _options.MaxPendingEntries);
                Interlocked.Increment(ref _failures);
                RecordingTelemetry.Failures.Add(1);
            }
        }
    }

    /// <summary>Writes the queue in order; returns the failure that stopped it, or <see langword="null"/> when it is empty.</summary>
    private async Task<Exception?> FlushAsync()
    {
        if (QueueCount() == 0)
        {
            return null;
        }

        try
        {
            await EnsureStartedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return Failed(ex);
        }

        while (Peek() is { } entry)
        {
            RecordedEntryReceipt receipt;
            try
            {
                receipt = await entry.WriteAsync(_sink, _traceId!, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (_sink.IsPermanentFailure(ex) && entry is not QueuedNotice)
            {
                // This entry can never be written (e.g. too large): an ERROR step takes its place and says so.
                Interlocked.Increment(ref _failures);
                RecordingTelemetry.Failures.Add(1);
                RecordingTelemetry.EntryUnwritable(_logger, _traceId, ex.GetType().Name, ex);
                Replace(entry, QueuedNotice.Unwritable(entry.Description, ex));
                continue;
            }
            catch (Exception ex)
            {
                return Failed(ex);
            }

            Dequeue(entry);
            RecordingTelemetry.EntriesWritten.Add(1);
            lock (_transcript)
            {
                _transcript.Add(entry.ToTranscript(receipt));
            }

            if (entry.Delayed)
            {
                _lateIndexes.Add(receipt.Index);
                if (!AnyDelayed())
                {
                    // The last late entry is written: the very next entry says which ones were late, and why.
                    RecordingTelemetry.DelayedWritten(_logger, _traceId, _lateIndexes.Count);
                    PushFront(QueuedNotice.Late(_lateIndexes, _firstDelayCause!));
                    _lateIndexes.Clear();
                    _firstDelayCause = null;
                }
            }
        }

        return null;
    }

    private Exception Failed(Exception ex)
    {
        Interlocked.Increment(ref _failures);
        RecordingTelemetry.Failures.Add(1);
        RecordingTelemetry.WriteFailed(_logger, _traceId, QueueCount(), ex.GetType().Name, ex);
        _firstDelayCause ??= ex;
        lock (_queue)
        {
            foreach (var entry in _queue)
            {
                entry.Delayed |= entry is not QueuedNotice;
            }
        }

        return ex;
    }

    private async Task<string> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_traceId is null)
        {
            var start = _options.StartTrace;
            var request = new TraceStartRequest
            {
                Label = start?.Label ?? (start?.AgentId is null ? "Agent run" : null),
                AgentId = start?.AgentId,
                Description = start?.Description,
                Tags = start?.Tags,
                Metadata = start?.Metadata,
            };
            Volatile.Write(ref _traceId, await _sink.StartTraceAsync(request, cancellationToken).ConfigureAwait(false));
        }

        return _traceId!;
    }

    private void ThrowIfSealed()
    {
        if (_sealed)
        {
            throw new InvalidOperationException($"Trace {_traceId} is sealed: a sealed recorder records nothing more. Use a new TraceRecorder for a new run.");
        }
    }

    private int QueueCount()
    {
        lock (_queue)
        {
            return _queue.Count;
        }
    }

    private QueuedEntry? Peek()
    {
        lock (_queue)
        {
            return _queue.Count == 0 ? null : _queue[0];
        }
    }

    private void Dequeue(QueuedEntry entry)
    {
        lock (_queue)
        {
            _queue.Remove(entry);
            if (ReferenceEquals(entry, _dropNotice))
            {
                _dropNotice = null;
            }
        }
    }

    private void Replace(QueuedEntry entry, QueuedNotice replacement)
    {
        lock (_queue)
        {
            replacement.Delayed = entry.Delayed;
            _queue[_queue.IndexOf(entry)] = replacement;
        }
    }

    private void PushFront(QueuedEntry entry)
    {
        lock (_queue)
        {
            _queue.Insert(0, entry);
        }
    }

    private bool AnyDelayed()
    {
        lock (_queue)
        {
            return _queue.Exists(e => e.Delayed);
        }
    }
}
