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
