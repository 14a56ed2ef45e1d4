using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
    /// <summary>The whole bundle in memory (<c>POST /verify</c>, and the reference the streamed proof is tested against).</summary>
    public async Task<ProofBundle?> AssembleAsync(TraceRecord trace, CancellationToken ct)
    {
        var seal = await store.GetSealAsync(trace.TraceId, ct);
        if (seal is null)
        {
            return null;
        }

        var entries = await store.GetEntriesAsync(trace.TraceId, ct);
        return Envelope(trace, seal, [.. entries.Select(ToBundleEntry)]);
    }

    /// <summary>
    /// <c>GET /proof</c>: the bytes of <see cref="AssembleAsync"/>'s bundle as <c>BundleDocuments.Json</c> serializes it,
    /// written as the entries are read, a page at a time (issue 14): memory
    /// stays one page whatever the trace's size, and the first bytes leave at once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The trace is sealed but has no stored seal (before any byte is written).</exception>
    public async Task WriteProofAsync(TraceRecord trace, HttpResponse response, CancellationToken ct)
    {
        var seal = await store.GetSealAsync(trace.TraceId, ct)
            ?? throw new InvalidOperationException($"Sealed trace {trace.TraceId} has no stored seal.");
        var (head, tail) = AroundEvents(Envelope(trace, seal, []));
        await Api.StreamedJson.WriteAsync(response, head, tail, store.ReadEntryPagesAsync(trace.TraceId, ct), ToBundleEntry, EntryType,
            EntryDepth, ct);
    }

    /// <summary>How each streamed entry is serialized: the API's bundle options (relaxed escaping, Api/BundleDocuments).</summary>
    internal static JsonTypeInfo<BundleEntry> EntryType { get; } = Api.BundleDocuments.Relaxed(TracesJsonContext.Default.BundleEntry);

    /// <summary>An entry's depth in the bundle (root → <c>events</c> → entry), for <see cref="Api.StreamedJson"/>.</summary>
    internal const int EntryDepth = 2;

    /// <summary>
    /// The bytes before and after a streamed proof's entries: <paramref name="envelope"/> (with an empty <c>events</c>)
    /// serialized exactly as the whole bundle would be, with the same options as <see cref="EntryType"/>. Only strings and
    /// numbers come before "events", and a string cannot hold an unescaped quote, so the first "events":[] is the member.
    /// </summary>
    internal static (ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Tail) AroundEvents(ProofBundle envelope) =>
        Api.StreamedJson.Split(JsonSerializer.SerializeToUtf8Bytes(envelope, Api.BundleDocuments.Relaxed(TracesJsonContext.Default.ProofBundle)),
            "events", lastOccurrence: false);

    private static ProofBundle Envelope(TraceRecord trace, SealRecord seal, IReadOnlyList<BundleEntry> events) => new()
    {
        Version = Proofs.ProofPrimitives.FormatVersion,
        TraceId = trace.TraceId,
        Label = trace.Label,
        // Informative (proof-format §9.5), for Invoance's SDKs: this server's tenants have no domain, only an id.
        TenantDomain = trace.TenantId,
        Status = TraceStatus.Sealed,
        CreatedAt = trace.CreatedAt,
        SealedAt = trace.SealedAt,
        CompositeHash = trace.CompositeHash,
        IntegrityRootHash = trace.IntegrityRootHash,
        EventCount = trace.EventCount,
        Events = events,
        SealEvent = WithTimestamp(JsonSerializer.Deserialize(seal.SealEventJson, TracesJsonContext.Default.SealEvent)),
        Certificate = JsonSerializer.Deserialize(seal.CertificateJson, TracesJsonContext.Default.TraceCertificate),
        // The seal-time check's flags (docs/api.md, proof), written after the certificate: in the streamed proof's tail.
        Verification = seal.Check is { } check
            ? new VerificationClaims { CompositeHashValid = check.CompositeHashValid, AllSignaturesValid = check.AllSignaturesValid }
            : null,
    };

    /// <summary>The seal event with Invoance's <c>timestamp</c> (proof-format §9.5): its <c>ingested_at</c>, the sealing time.</summary>
    private static SealEvent? WithTimestamp(SealEvent? seal) => seal is null ? null : new SealEvent
    {
        EventId = seal.EventId,
        EventType = seal.EventType,
        Payload = seal.Payload,
        PayloadHash = seal.PayloadHash,
        ContentHash = seal.ContentHash,
        IngestedAt = seal.IngestedAt,
        KeyId = seal.KeyId,
        PublicKey = seal.PublicKey,
        Signature = seal.Signature,
        Timestamp = seal.IngestedAt,
        AdditionalProperties = seal.AdditionalProperties,
    };

    public static async Task<TraceCertificate?> CertificateAsync(TraceStore store, string traceId, CancellationToken ct)
    {
        var seal = await store.GetSealAsync(traceId, ct);
        return seal is null ? null : JsonSerializer.Deserialize(seal.CertificateJson, TracesJsonContext.Default.TraceCertificate);
    }

    internal static BundleEntry ToBundleEntry(EntryRecord entry)
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
            // Informative (proof-format §9.5): Invoance's name for the time the entry was accepted.
            Timestamp = entry.IngestedAt,
        };
    }
}
