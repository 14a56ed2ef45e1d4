using System.Text.Json;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Infrastructure;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Storage;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;

namespace Traces.LocalServer.Sealing;

/// <summary>
/// Seals traces in the background (docs/api.md seal): composite hash and root over the stored entries, the signed
/// seal event, the RSA certificate, then <c>sealed</c>, all committed in one transaction. Nothing is written before
/// that commit, so a process killed mid-seal leaves the trace <c>sealing</c>; on start the worker picks up every such
/// trace and seals it from scratch.
/// </summary>
/// <remarks>
/// A transient fault (<see cref="TransientFaults"/>: a busy or locked database, an I/O error) is retried with
/// exponential backoff, <see cref="FirstRetryDelay"/> doubling up to <see cref="MaxRetryDelay"/>, for as long as the
/// server runs; the trace stays <c>sealing</c> meanwhile, which is the truth. A seal is marked <c>failed</c> only for a
/// reason that retrying cannot remove, with its code: <c>stored_entries_invalid</c> or <c>seal_failed</c>.
/// </remarks>
internal sealed class SealWorker(SealQueue queue, TraceStore store, ServerKeys keys, MonotonicClock clock,
    ServerSettings settings, ILogger<SealWorker> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private long _transientFaults;

    /// <summary>Transient faults met (and retried) since start.</summary>
    public long TransientFaultCount => Interlocked.Read(ref _transientFaults);

    public static TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(attempt - 1, 20)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var interrupted = await RetryTransientAsync("listing interrupted seals", store.GetSealingTraceIdsAsync, stoppingToken);
            foreach (var traceId in interrupted)
            {
                logger.LogInformation("Resuming interrupted seal of {TraceId}", traceId);
                queue.Enqueue(traceId);
            }

            await foreach (var traceId in queue.ReadAllAsync(stoppingToken))
            {
                await SealOrFailAsync(traceId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping, or the host never started (a busy port): a trace being sealed stays 'sealing' and is resumed
            // on the next start. Ending quietly keeps the host from reporting a failed background service.
        }
    }

    private async Task SealOrFailAsync(string traceId, CancellationToken ct)
    {
        string code;
        string message;
        try
        {
            await RetryTransientAsync($"sealing {traceId}", async token =>
            {
                await SealAsync(traceId, token);
                return true;
            }, ct);
            return;
        }
        catch (SealFailedException ex)
        {
            (code, message) = (ex.Code, ex.Message);
            logger.LogError("Sealing {TraceId} failed for good: {Code}: {Message}", traceId, code, message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not transient and not foreseen: a bug or a broken key. Retrying would fail the same way.
            (code, message) = (ErrorCodes.SealFailed, ex.Message);
            logger.LogError(ex, "Sealing {TraceId} failed for good: {Code}", traceId, code);
        }

        await RetryTransientAsync($"recording the failed seal of {traceId}", async token =>
        {
            await store.FailSealAsync(traceId, code, message, token);
            return true;
        }, ct);
    }

    /// <summary>Runs <paramref name="work"/>, retrying transient faults with backoff until it succeeds, fails otherwise, or the server stops.</summary>
    private async Task<T> RetryTransientAsync<T>(string what, Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await work(ct);
            }
            catch (Exception ex) when (TransientFaults.IsTransient(ex) && !ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _transientFaults);
                var delay = RetryDelay(attempt);
                logger.LogWarning("Transient fault while {What} (attempt {Attempt}), retrying in {DelayMs} ms: {Message}",
                    what, attempt, delay.TotalMilliseconds, ex.Message);
                await Task.Delay(delay, ct);
            }
        }
    }

    private async Task SealAsync(string traceId, CancellationToken ct)
    {
        var trace = await store.GetTraceForWorkerAsync(traceId, ct);
        if (trace is null || trace.Status != TraceStatus.Sealing)
        {
            return; // already sealed (a duplicate enqueue), or gone
        }

        if (settings.SealDelay > TimeSpan.Zero)
        {
            await Task.Delay(settings.SealDelay, ct); // test hook: lets a test kill the process mid-seal
        }

        // Entries are immutable once the trace is 'sealing' (appends check the status under the write gate). They are
        // read twice, a page at a time (the chain here, the check below), so memory stays flat whatever the trace's size.
        var (count, composite, root) = await ReadChainAsync(trace, ct);
        // The one place a seal needs the RSA key: on a server that has just started, this may wait for its generation
        // (awaited before the seal's time is taken, so sealed_at is when it was signed).
        var certificateKey = await keys.GetCertificateKeyAsync(ct);
        var sealedAt = clock.NowCanonical();
        var sealEventId = Ids.NewEventId();

        var payload = JsonSerializer.SerializeToElement(new SealPayload
        {
            TraceId = traceId,
            EventCount = count,
            CompositeHash = composite,
            IntegrityRootHash = root,
        }, TracesJsonContext.Default.SealPayload);
        var payloadHash = ProofPrimitives.PayloadHash(payload);
        var contentHash = ProofPrimitives.ContentHash(sealEventId, SealEvent.Type, sealedAt, payloadHash);
        var sealEvent = new SealEvent
        {
            EventId = sealEventId,
            EventType = SealEvent.Type,
            Payload = payload,
            PayloadHash = payloadHash.ToString(),
            ContentHash = contentHash.ToString(),
            IngestedAt = sealedAt,
            KeyId = keys.Ed25519KeyId,
            PublicKey = keys.Ed25519PublicKey,
            Signature = keys.SignEntry(contentHash),
        };

        var statement = new CertificateStatement
        {
            Version = ProofPrimitives.FormatVersion,
            TraceId = traceId,
            EventCount = count,
            CompositeHash = composite,
            IntegrityRootHash = root,
            SealEventId = sealEventId,
            SealedAt = sealedAt,
            KeyId = certificateKey.KeyId,
        };
        var certificate = new TraceCertificate
        {
            Version = statement.Version,
            TraceId = statement.TraceId,
            EventCount = statement.EventCount,
            CompositeHash = statement.CompositeHash,
            IntegrityRootHash = statement.IntegrityRootHash,
            SealEventId = statement.SealEventId,
            SealedAt = statement.SealedAt,
            KeyId = statement.KeyId,
            Algorithm = PublishedKey.RsaPssSha256,
            PublicKey = certificateKey.PublicKeyPem,
            Signature = certificateKey.Sign(statement),
        };

        // The check the proof's verification member reports (docs/api.md, proof), over exactly what is committed below.
        var check = await SealCheck.RunAsync(keys, new ProofBundle
        {
            Version = statement.Version,
            TraceId = traceId,
            Status = TraceStatus.Sealed,
            SealedAt = sealedAt,
            CompositeHash = composite,
            IntegrityRootHash = root,
            EventCount = count,
            Events = [],
            SealEvent = sealEvent,
            Certificate = certificate,
        }, store.ReadEntryPagesAsync(traceId, ct), ct);
        var seal = new SealRecord(
            JsonSerializer.Serialize(sealEvent, TracesJsonContext.Default.SealEvent),
            JsonSerializer.Serialize(certificate, TracesJsonContext.Default.TraceCertificate),
            check);
        if (await store.CompleteSealAsync(traceId, sealedAt, composite, root, sealEventId, seal, ct))
        {
            logger.LogInformation("Sealed {TraceId} ({Count} entries)", traceId, count);
        }
    }

    /// <summary>
    /// Reads the stored chain, a page at a time, and checks that it can be sealed: its count, composite hash (proof-format
    /// §7, accumulated as the leaves arrive) and last chain hash. The rows are only ever written by the append path, so
    /// a gap or an unreadable hash means an edit behind the server's back: retrying cannot fix it.
    /// </summary>
    private async Task<(int Count, string Composite, string Root)> ReadChainAsync(TraceRecord trace, CancellationToken ct)
    {
        var composite = new MerkleRootAccumulator();
        string? firstProblem = null;
        string? root = null;
        var count = 0;
        await foreach (var page in store.ReadEntryPagesAsync(trace.TraceId, ct))
        {
            foreach (var entry in page)
            {
                var i = count++;
                if (firstProblem is not null)
                {
                    continue; // counted: a wrong count is reported first, as it is the broader fault
                }

                if (entry.Index != i || !Digest.TryParse(entry.ContentHash, out var digest) || !Digest.TryParse(entry.ChainHash, out _))
                {
                    firstProblem = $"Stored entry {entry.EventId} (position {i}) has no index {i}, or a content or chain hash that is not a sha256 digest.";
                    continue;
                }

                composite.Append(MerkleTree.LeafHash(digest.Bytes));
                root = entry.ChainHash;
            }
        }

        if (count == 0 || count != trace.EventCount)
        {
            throw new SealFailedException(ErrorCodes.StoredEntriesInvalid,
                $"The trace records {trace.EventCount} entries but {count} are stored.");
        }

        if (firstProblem is not null)
        {
            throw new SealFailedException(ErrorCodes.StoredEntriesInvalid, firstProblem);
        }

        return (count, composite.ComputeRoot().ToString(), root!);
    }
}
