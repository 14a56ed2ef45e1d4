using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.LocalServer.Api;

// Request and response shapes of docs/api.md. Requests are parsed by hand (JsonInput) so every bad field gets a
// precise error code; these request records exist for the OpenAPI document. Members are snake_case via the
// serializer's naming policy.

internal sealed class CreateTraceRequest
{
    public string? Label { get; init; }
    public string? AgentId { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
    public JsonElement? Metadata { get; init; }
}

internal sealed class AddStepRequest
{
    public required string Type { get; init; }
    public required string Content { get; init; }
    public JsonElement? Metadata { get; init; }
}

internal sealed class IngestEventRequest
{
    public required string EventType { get; init; }
    public required JsonElement Payload { get; init; }
    public string? EventTime { get; init; }
    public string? TraceId { get; init; }
}

internal sealed class AnchorDocumentRequest
{
    public required string DocumentHash { get; init; }
    public string? DocumentRef { get; init; }
    public string? EventType { get; init; }
    public string? OriginalBytesB64 { get; init; }
    public JsonElement? Metadata { get; init; }
    public string? TraceId { get; init; }
}

internal sealed class AttestationContent
{
    public required string Input { get; init; }
    public required string Output { get; init; }
}

internal sealed class AttestationContext
{
    public string? ModelProvider { get; init; }
    public string? ModelName { get; init; }
    public string? ModelVersion { get; init; }
}

internal sealed class IngestAttestationRequest
{
    public required string Type { get; init; }
    public required AttestationContent Payload { get; init; }
    public AttestationContext? Context { get; init; }
    public JsonElement? Subject { get; init; }
    public string? TraceId { get; init; }
}

internal sealed record CreatedTraceResponse
{
    public required string TraceId { get; init; }
    public required string Status { get; init; }
    public required string CreatedAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Label { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? AgentId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Tags { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonElement? Metadata { get; init; }
}

internal sealed record TraceSummary(string TraceId, string? Label, string? AgentId, string Status, long EventCount,
    string CreatedAt, string? SealedAt, string? CompositeHash);

internal sealed record TraceListResponse(IReadOnlyList<TraceSummary> Traces, int? Page, int Limit, long Total, bool HasMore, string? NextCursor);

internal sealed record TraceError(string Code, string Message);

internal sealed record EntrySummary(long? Index, string EventId, string EventType, string PayloadHash, string ContentHash,
    string? PreviousChainHash, string? ChainHash, string IngestedAt);

internal sealed record TraceDetailResponse(string TraceId, string? Label, string? AgentId, string? Description,
    IReadOnlyList<string> Tags, JsonElement Metadata, string Status, long EventCount, string CreatedAt, string? SealedAt,
    string? CompositeHash, string? IntegrityRootHash, string? SealEventId, TraceError? Error, IReadOnlyList<EntrySummary> Events,
    int EventPage, int EventLimit, long EventTotal, bool EventHasMore);

internal sealed record DeleteTraceResponse(string TraceId, bool Deleted);

internal sealed record EventListItem(string EventId, string EventType, string PayloadHash, string IngestedAt, string? TraceId);

internal sealed record EventListResponse(IReadOnlyList<EventListItem> Events, int Page, int Limit, long Total, bool HasMore);

internal sealed record MeTenant(string Id);

internal sealed record MeApiKey(string Id, string KeyPrefix);

internal sealed record MeResponse(bool Valid, MeTenant Tenant, MeApiKey ApiKey);

internal sealed record StepResponse(string StepId, long StepIndex, string IntegrityChainHash, string EventId, string PayloadHash,
    string ContentHash, string IngestedAt);

internal sealed record EntryResponse
{
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public string? TraceId { get; init; }
    public long? Index { get; init; }
    public required string PayloadHash { get; init; }
    public required string ContentHash { get; init; }
    public string? PreviousChainHash { get; init; }
    public string? ChainHash { get; init; }
    public required string IngestedAt { get; init; }
    public required string KeyId { get; init; }
    public required string Signature { get; init; }

    // Invoance's answer members for /document/anchor and /ai/attestations (Invoance SDK models/documents.ts, attestations.ts).
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? AttestationId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DocumentHash { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? InputHash { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? OutputHash { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CreatedAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Status { get; init; }
}

internal sealed record SealResponse(string TraceId, string Status, string Message);

internal sealed record Discrepancy(string Code, string Message, long? Index, string? EventId);

internal sealed record FirstInvalidEvent(long? Index, string? EventId);

internal sealed record VerifyResponse(string TraceId, bool Valid, string Verdict, bool ChainValid, bool SignatureValid,
    bool CompositeValid, long EventCount, IReadOnlyList<Discrepancy> Discrepancies, FirstInvalidEvent? FirstInvalidEvent,
    string VerifiedAt);
