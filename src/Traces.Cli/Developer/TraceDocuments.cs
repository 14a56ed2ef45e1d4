using Traces.Client.Models;
using Traces.Verification.Hashing;

namespace Traces.Cli.Developer;

/// <summary>
/// What <c>traces list --json</c> and <c>traces get --json</c> print: plain records of the CLI's own (the client's
/// models carry converters the CLI's source-generated context does not see), timestamps in the canonical
/// six-digit UTC form of proof-format §3.2.
/// </summary>
internal sealed record TraceListDocument(IReadOnlyList<TraceRow> Traces, int Count, bool? HasMore, long? Total);

/// <summary>One trace in a list.</summary>
internal sealed record TraceRow(string? TraceId, string? Label, string? AgentId, string? Status, long? EventCount,
    string? CreatedAt, string? SealedAt, string? CompositeHash)
{
    public static TraceRow From(TraceSummary trace) => new(trace.TraceId, trace.Label, trace.AgentId, trace.Status?.Value,
        trace.EventCount, Time(trace.CreatedAt), Time(trace.SealedAt), trace.CompositeHash);

    internal static string? Time(DateTimeOffset? instant) => instant is { } value ? TraceTimestamp.ToCanonicalString(value) : null;
}

/// <summary>One trace with its entries.</summary>
internal sealed record TraceDocument(string? TraceId, string? Label, string? AgentId, string? Status, long? EventCount,
    string? CreatedAt, string? SealedAt, string? CompositeHash, string? IntegrityRootHash, string? SealEventId,
    string? ErrorCode, string? ErrorMessage, IReadOnlyList<EntryRow> Events)
{
    public static TraceDocument From(TraceDetails trace) => new(trace.TraceId, trace.Label, trace.AgentId, trace.Status?.Value,
        trace.EventCount, TraceRow.Time(trace.CreatedAt), TraceRow.Time(trace.SealedAt), trace.CompositeHash, trace.IntegrityRootHash,
        trace.SealEventId, trace.Error?.Code, trace.Error?.Message,
        [.. (trace.Events ?? []).Select(e => new EntryRow(e.Index, e.EventId, e.EventType, e.PayloadHash, e.ContentHash,
            e.PreviousChainHash, e.ChainHash, TraceRow.Time(e.IngestedAt)))]);
}

/// <summary>One entry of a trace.</summary>
internal sealed record EntryRow(long? Index, string? EventId, string? EventType, string? PayloadHash, string? ContentHash,
    string? PreviousChainHash, string? ChainHash, string? IngestedAt);

/// <summary>
/// What <c>step</c>, <c>event</c>, <c>document</c> and <c>attest</c> print with <c>--json</c>: the signed entry the service
/// returned (<c>trace_id</c> and <c>index</c> are null for a standalone entry). <c>document_hash</c>,
/// <c>document_ref</c> and <c>document_bytes</c> are set by <c>document</c> only: the digest computed on this machine.
/// </summary>
internal sealed record EntryDocument(string? TraceId, long? Index, string? EventId, string? EventType, string? PayloadHash,
    string? ContentHash, string? PreviousChainHash, string? ChainHash, string? IngestedAt, string? KeyId, string? Signature)
{
    public string? DocumentHash { get; init; }

    public string? DocumentRef { get; init; }

    public long? DocumentBytes { get; init; }

    public static EntryDocument From(EntryReceipt receipt) => new(receipt.TraceId, receipt.Index, receipt.EventId ?? receipt.AttestationId ?? receipt.DocumentId,
        receipt.EventType, receipt.PayloadHash, receipt.ContentHash, receipt.PreviousChainHash, receipt.ChainHash, TraceRow.Time(receipt.IngestedAt),
        receipt.KeyId, receipt.Signature);

    /// <summary>A step's receipt (Novyx shape): no key id or signature in it, and its entry type is <c>agent.step</c>.</summary>
    public static EntryDocument From(string traceId, StepReceipt receipt) => new(traceId, receipt.StepIndex, receipt.EventId ?? receipt.StepId,
        "agent.step", receipt.PayloadHash, receipt.ContentHash, null, receipt.IntegrityChainHash, TraceRow.Time(receipt.IngestedAt), null, null);
}
