using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;

namespace Traces.Verification.Pipeline;

/// <summary>
/// Checks entry signatures in parallel while the reader goes on hashing the chain. Jobs travel in fixed-size,
/// pooled batches through a bounded queue, so memory stays constant however many entries there are, and the
/// reader blocks (back-pressure) rather than outrunning the workers.
/// </summary>
/// <remarks>
/// Worker lifetime is structured: the workers belong to one verification call and end inside it, whatever way it
/// ends. <see cref="Complete"/> (the normal end) lets them finish the queue and joins them; <see cref="Dispose"/>
/// (an exception or a cancellation in the reader) stops them at the next batch and joins them before the queue is
/// released. An exception on a worker is caught there, stops the others, and is rethrown on the caller's thread by
/// <see cref="Add"/> or <see cref="Complete"/>: it never reaches the thread's top, where it would end the process.
/// </remarks>
internal sealed class SignatureWorkers : IDisposable
{
    /// <summary>One Ed25519 check (the key's own Verify; tests substitute one that fails, to prove failures are observed).</summary>
    internal delegate bool SignatureCheck(Ed25519PublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    internal const int MessageLength = 48; // "traces/v1/event" is 15 ASCII bytes + 0x00 + 32 digest bytes
    private const int BatchSize = 256;

    private static int s_running;

    private readonly ReportBuilder _report;
    private readonly SignatureCheck _check;
    private readonly int _degree;
    private readonly BlockingCollection<Batch> _queue;
    private readonly ConcurrentBag<Batch> _pool = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private ExceptionDispatchInfo? _failure;
    private Batch _current;
    private bool _joined;

    public SignatureWorkers(ReportBuilder report, int degreeOfParallelism, SignatureCheck? check = null)
    {
        _report = report;
        _check = check ?? ((key, message, signature) => key.Verify(message, signature));
        _degree = Math.Max(1, degreeOfParallelism);
        _queue = new BlockingCollection<Batch>(boundedCapacity: _degree * 4);
        _current = new Batch();
    }

    /// <summary>Worker threads alive in this process, across all verifications (tests assert none outlive a call).</summary>
    internal static int Running => Volatile.Read(ref s_running);

    /// <summary>Queues one Ed25519 check of <paramref name="signature"/> over the 48-byte signed message.</summary>
    /// <exception cref="Exception">Whatever a worker failed with (a bug, never bad input), rethrown here.</exception>
    public void Add(long index, string? eventId, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, Ed25519PublicKey key)
    {
        _current.Add(index, eventId, message, signature, key);
        if (_current.Count == BatchSize)
        {
            StartThreads();
            try
            {
                _queue.Add(_current, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Only a failed worker cancels _stop while the reader is still adding.
                _failure?.Throw();
                throw;
            }

            _current = _pool.TryTake(out var next) ? next : new Batch();
        }
    }

    /// <summary>Checks what is left, waits for every worker, and rethrows a worker's failure. Small bundles never start a thread.</summary>
    public void Complete()
    {
        if (_current.Count > 0)
        {
            Verify(_current);
            _current.Count = 0;
        }

        _queue.CompleteAdding();
        Join();
        _failure?.Throw();
    }

    /// <summary>Stops and joins the workers if <see cref="Complete"/> did not (the reader failed or was cancelled).</summary>
    public void Dispose()
    {
        if (!_joined)
        {
            _stop.Cancel();
            if (!_queue.IsAddingCompleted)
            {
                _queue.CompleteAdding();
            }

            Join();
        }

        _queue.Dispose();
        _stop.Dispose();
    }

    private void Join()
    {
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _joined = true;
    }

    private void StartThreads()
    {
        if (_threads.Count > 0)
        {
            return;
        }

        for (var i = 0; i < _degree; i++)
        {
            var thread = new Thread(Work) { IsBackground = true, Name = $"traces-signature-{i}" };
            Interlocked.Increment(ref s_running);
            try
            {
                thread.Start();
            }
            catch
            {
                Interlocked.Decrement(ref s_running);
                throw;
            }

            // Listed only once started, so Join never waits on a thread that never ran.
            _threads.Add(thread);
        }
    }

    private void Work()
    {
        try
        {
            foreach (var batch in _queue.GetConsumingEnumerable(_stop.Token))
            {
                Verify(batch);
                batch.Count = 0;
                _pool.Add(batch);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by Dispose or by another worker's failure: the remaining batches are not needed.
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(exception), null);
            _stop.Cancel();
        }
        finally
        {
            Interlocked.Decrement(ref s_running);
        }
    }

    private void Verify(Batch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch.Messages.AsSpan(i * MessageLength, MessageLength);
            var signature = batch.Signatures.AsSpan(i * 64, 64);
            if (!_check(batch.Keys[i]!, message, signature))
            {
                _report.Add(new Finding(FindingCodes.SignatureInvalid, FindingSeverity.Error,
                    $"The Ed25519 signature of entry {batch.Indices[i]} does not verify under key {batch.Keys[i]!.KeyId}.")
                {
                    EntryIndex = batch.Indices[i],
                    EventId = batch.EventIds[i],
                    Location = $"/events/{batch.Indices[i]}/signature",
                });
            }

            batch.Keys[i] = null;
            batch.EventIds[i] = null;
        }
    }

    private sealed class Batch
    {
        public readonly long[] Indices = new long[BatchSize];
        public readonly string?[] EventIds = new string?[BatchSize];
        public readonly byte[] Messages = new byte[BatchSize * MessageLength];
        public readonly byte[] Signatures = new byte[BatchSize * 64];
        public readonly Ed25519PublicKey?[] Keys = new Ed25519PublicKey?[BatchSize];
        public int Count;

        public void Add(long index, string? eventId, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, Ed25519PublicKey key)
        {
            Indices[Count] = index;
            EventIds[Count] = eventId;
            message.CopyTo(Messages.AsSpan(Count * MessageLength, MessageLength));
            signature.CopyTo(Signatures.AsSpan(Count * 64, 64));
            Keys[Count] = key;
            Count++;
        }
    }
}
