using System.Text.Json;
using Traces.LocalServer.Infrastructure;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Storage;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Sealing;

/// <summary>
/// Seals traces in the background (docs/api.md seal): composite hash and root over the stored entries, the signed
/// seal event, the RSA certificate, then <c>sealed</c>, all committed in one transaction. Nothing is written before
/// that commit, so a process killed mid-seal leaves the trace <c>sealing</c>; on start the worker picks up every such
/// trace and seals it from scratch.
/// </summary>
internal sealed class SealWorker(SealQueue queue, TraceStore store, ServerKeys keys, MonotonicClock clock,
    ServerSettings settings, ILogger<SealWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var traceId in await store.GetSealingTraceIdsAsync(stoppingToken))
        {
            logger.LogInformation("Resuming interrupted seal of {TraceId}", traceId);
            queue.Enqueue(traceId);
        }

        await foreach (var traceId in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SealAsync(traceId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // the trace stays 'sealing' and is resumed on the next start
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Sealing {TraceId} failed", traceId);
                try
                {
                    await store.FailSealAsync(traceId, "seal_failed", ex.Message, CancellationToken.None);
                }
                catch (Exception recordFailure)
                {
                    // Left 'sealing': retried on the next start. The worker itself must keep running for other traces.
                    logger.LogError(recordFailure, "Could not record the failed seal of {TraceId}", traceId);
                }
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

        // Entries are immutable once the trace is 'sealing' (appends check the status under the write gate).
        var entries = await store.GetEntriesAsync(traceId, ct);
        var contentDigests = entries.Select(e => Digest.Parse(e.ContentHash)).ToList();
        var composite = ProofPrimitives.CompositeHash(contentDigests).ToString();
        var root = entries[^1].ChainHash!;
        var sealedAt = clock.NowCanonical();
        var sealEventId = Ids.NewEventId();

        var payload = JsonSerializer.SerializeToElement(new SealPayload
        {
            TraceId = traceId,
            EventCount = entries.Count,
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
            EventCount = entries.Count,
            CompositeHash = composite,
            IntegrityRootHash = root,
            SealEventId = sealEventId,
            SealedAt = sealedAt,
            KeyId = keys.RsaKeyId,
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
            PublicKey = keys.RsaPublicKeyPem,
            Signature = keys.SignCertificate(statement),
        };

        var seal = new SealRecord(
            JsonSerializer.Serialize(sealEvent, TracesJsonContext.Default.SealEvent),
            JsonSerializer.Serialize(certificate, TracesJsonContext.Default.TraceCertificate));
        if (await store.CompleteSealAsync(traceId, sealedAt, composite, root, sealEventId, seal, ct))
        {
            logger.LogInformation("Sealed {TraceId} ({Count} entries)", traceId, entries.Count);
        }
    }
}
