using System.Collections.Concurrent;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;

namespace Traces.Verification.Pipeline;

/// <summary>
/// Checks entry signatures in parallel while the reader goes on hashing the chain. Jobs travel in fixed-size,
/// pooled batches through a bounded queue, so memory stays constant however many entries there are, and the
/// reader blocks (back-pressure) rather than outrunning the workers.
/// </summary>
internal sealed class SignatureWorkers : IDisposable
{
    internal const int MessageLength = 48; // "traces/v1/event" is 15 ASCII bytes + 0x00 + 32 digest bytes
    private const int BatchSize = 256;

    private readonly ReportBuilder _report;
    private readonly int _degree;
    private readonly BlockingCollection<Batch> _queue;
    private readonly ConcurrentBag<Batch> _pool = [];
    private Thread[]? _threads;
    private Batch _current;

    public SignatureWorkers(ReportBuilder report, int degreeOfParallelism)
    {
        _report = report;
        _degree = Math.Max(1, degreeOfParallelism);
        _queue = new BlockingCollection<Batch>(boundedCapacity: _degree * 4);
        _current = new Batch();
    }

    /// <summary>Queues one Ed25519 check of <paramref name="signature"/> over the 48-byte signed message.</summary>
    public void Add(long index, string? eventId, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, Ed25519PublicKey key)
    {
        _current.Add(index, eventId, message, signature, key);
        if (_current.Count == BatchSize)
        {
            StartThreads();
            _queue.Add(_current);
            _current = _pool.TryTake(out var next) ? next : new Batch();
        }
    }

    /// <summary>Checks what is left and waits for every worker. Small bundles never start a thread.</summary>
    public void Complete()
    {
        if (_current.Count > 0)
        {
            Verify(_current);
            _current.Count = 0;
        }

        _queue.CompleteAdding();
        foreach (var thread in _threads ?? [])
        {
            thread.Join();
        }
    }

    public void Dispose() => _queue.Dispose();

    private void StartThreads()
    {
        if (_threads is not null)
        {
            return;
        }

        _threads = new Thread[_degree];
        for (var i = 0; i < _degree; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"traces-signature-{i}" };
            _threads[i].Start();
        }
    }

    private void Work()
    {
        foreach (var batch in _queue.GetConsumingEnumerable())
        {
            Verify(batch);
            batch.Count = 0;
            _pool.Add(batch);
        }
    }

    private void Verify(Batch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var message = batch.Messages.AsSpan(i * MessageLength, MessageLength);
            var signature = batch.Signatures.AsSpan(i * 64, 64);
            if (!batch.Keys[i]!.Verify(message, signature))
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
