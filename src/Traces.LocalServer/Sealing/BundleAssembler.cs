using System.Text.Json;
using Traces.LocalServer.Storage;
using Traces.Verification.Bundles;

namespace Traces.LocalServer.Sealing;

/// <summary>
/// Builds the proof bundle (proof-format §9) from the stored rows on every read. The rows are the single copy of the
/// data, so whatever is in the database (including an edit behind the server's back) is what the bundle shows and
/// what verification judges.
/// </summary>
internal sealed class BundleAssembler(TraceStore store)
{
    public async Task<ProofBundle?> AssembleAsync(TraceRecord trace, CancellationToken ct)
    {
        var seal = await store.GetSealAsync(trace.TraceId, ct);
        if (seal is null)
        {
            return null;
        }

        var entries = await store.GetEntriesAsync(trace.TraceId, ct);
        return new ProofBundle
        {
            Version = Proofs.ProofPrimitives.FormatVersion,
            TraceId = trace.TraceId,
            Label = trace.Label,
            Status = TraceStatus.Sealed,
            CreatedAt = trace.CreatedAt,
            SealedAt = trace.SealedAt,
            CompositeHash = trace.CompositeHash,
            IntegrityRootHash = trace.IntegrityRootHash,
            EventCount = trace.EventCount,
            Events = [.. entries.Select(ToBundleEntry)],
            SealEvent = JsonSerializer.Deserialize(seal.SealEventJson, TracesJsonContext.Default.SealEvent),
            Certificate = JsonSerializer.Deserialize(seal.CertificateJson, TracesJsonContext.Default.TraceCertificate),
        };
    }

    public static async Task<TraceCertificate?> CertificateAsync(TraceStore store, string traceId, CancellationToken ct)
    {
        var seal = await store.GetSealAsync(traceId, ct);
        return seal is null ? null : JsonSerializer.Deserialize(seal.CertificateJson, TracesJsonContext.Default.TraceCertificate);
    }

    private static BundleEntry ToBundleEntry(EntryRecord entry)
    {
        using var payload = JsonDocument.Parse(entry.PayloadJson);
        return new BundleEntry
        {
            Index = entry.Index,
            EventId = entry.EventId,
            EventType = entry.EventType,
            Payload = payload.RootElement.Clone(),
            PayloadHash = entry.PayloadHash,
            ContentHash = entry.ContentHash,
            PreviousChainHash = entry.PreviousChainHash,
            ChainHash = entry.ChainHash,
            IngestedAt = entry.IngestedAt,
            KeyId = entry.KeyId,
            PublicKey = entry.PublicKey,
            Signature = entry.Signature,
        };
    }
}
