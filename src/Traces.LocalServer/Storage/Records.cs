namespace Traces.LocalServer.Storage;

/// <summary>Trace lifecycle states (docs/api.md).</summary>
internal static class TraceStatus
{
    public const string Open = "open";
    public const string Sealing = "sealing";
    public const string Sealed = "sealed";
    public const string Failed = "failed";

    public static bool IsKnown(string value) => value is Open or Sealing or Sealed or Failed;
}

internal sealed record TraceRecord
{
    public required string TraceId { get; init; }
    public required string TenantId { get; init; }
    public string? Label { get; init; }
    public string? AgentId { get; init; }
    public string? Description { get; init; }
    public string? TagsJson { get; init; }
    public string? MetadataJson { get; init; }
    public required string Status { get; init; }
    public required string CreatedAt { get; init; }
    public long EventCount { get; init; }
    public string? LastChainHash { get; init; }
    public string? SealedAt { get; init; }
    public string? CompositeHash { get; init; }
    public string? IntegrityRootHash { get; init; }
    public string? SealEventId { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
}

internal sealed record EntryRecord
{
    public required string EventId { get; init; }
    public required string TenantId { get; init; }
    public string? TraceId { get; init; }
    public long? Index { get; init; }
    public required string EventType { get; init; }
    public required string PayloadJson { get; init; }
    public required string PayloadHash { get; init; }
    public required string ContentHash { get; init; }
    public string? PreviousChainHash { get; init; }
    public string? ChainHash { get; init; }
    public required string IngestedAt { get; init; }
    public required string KeyId { get; init; }
    public required string PublicKey { get; init; }
    public required string Signature { get; init; }
}

/// <summary>
/// The stored result of a seal: the signed seal event and certificate, as traces/v1 JSON, and the result of the check
/// sealing ran over what it sealed (null for a seal stored before that check existed).
/// </summary>
internal sealed record SealRecord(string SealEventJson, string CertificateJson, SealCheckResult? Check = null);

/// <summary>What the seal-time check found (docs/api.md, proof): each flag true only when that check ran and passed.</summary>
internal sealed record SealCheckResult(bool CompositeHashValid, bool AllSignaturesValid);

internal sealed record TraceListFilter(string? Status, string? AgentId, string? From, string? To);

internal sealed record TracePage(IReadOnlyList<TraceRecord> Traces, long Total, bool HasMore, string? NextCursor);
