using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Traces.Client.Models;

/// <summary>A model that keeps the members it does not define, so a response round-trips without loss.</summary>
public abstract class TracesModel
{
    /// <summary>Members of the response this version of the client does not model (e.g. Novyx- or Invoance-only fields).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Why a trace failed to seal (<c>error</c> of a <c>failed</c> trace).</summary>
public sealed class TraceError : TracesModel
{
    /// <summary>The stable error code.</summary>
    public string? Code { get; set; }

    /// <summary>A human-readable message.</summary>
    public string? Message { get; set; }
}

/// <summary>A trace: the response of create (<c>POST /v1/traces</c>) and of <c>GET /v1/traces/{trace_id}</c>.</summary>
public sealed class TraceDetails : TracesModel
{
    /// <summary>Server-generated trace id.</summary>
    public string? TraceId { get; set; }

    /// <summary>Human label.</summary>
    public string? Label { get; set; }

    /// <summary>The agent (Novyx).</summary>
    public string? AgentId { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>Caller metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Lifecycle state.</summary>
    public TraceStatus? Status { get; set; }

    /// <summary>Number of entries.</summary>
    public long? EventCount { get; set; }

    /// <summary>When the trace was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was sealed; <c>null</c> until sealed.</summary>
    public DateTimeOffset? SealedAt { get; set; }

    /// <summary>RFC 9162 Merkle root over the entries' content hashes; <c>null</c> until sealed.</summary>
    public string? CompositeHash { get; set; }

    /// <summary>The last entry's chain hash; <c>null</c> until sealed.</summary>
    public string? IntegrityRootHash { get; set; }

    /// <summary>The seal event's id; <c>null</c> until sealed.</summary>
    public string? SealEventId { get; set; }

    /// <summary>Set only when <see cref="Status"/> is <c>failed</c>.</summary>
    public TraceError? Error { get; set; }

    /// <summary>The entries in order (only on <c>GET /v1/traces/{trace_id}</c>).</summary>
    public IReadOnlyList<TraceEntrySummary>? Events { get; set; }

    /// <summary>The 1-based page of <see cref="Events"/> (Invoance's event paging).</summary>
    public int? EventPage { get; set; }

    /// <summary>The page size of <see cref="Events"/>.</summary>
    public int? EventLimit { get; set; }

    /// <summary>How many entries the trace has in all.</summary>
    public long? EventTotal { get; set; }

    /// <summary>Whether entries follow this page.</summary>
    public bool? EventHasMore { get; set; }
}

/// <summary>Response of <c>DELETE /v1/traces/{trace_id}</c>.</summary>
public sealed class DeleteTraceResult : TracesModel
{
    /// <summary>The trace.</summary>
    public string? TraceId { get; set; }

    /// <summary>Whether it was deleted.</summary>
    public bool? Deleted { get; set; }
}

/// <summary>An entry as listed by <c>GET /v1/events</c>.</summary>
public sealed class EventSummary : TracesModel
{
    /// <summary>Entry id.</summary>
    public string? EventId { get; set; }

    /// <summary>Entry type.</summary>
    public string? EventType { get; set; }

    /// <summary>The payload's hash.</summary>
    public string? PayloadHash { get; set; }

    /// <summary>When the service accepted the entry.</summary>
    public DateTimeOffset? IngestedAt { get; set; }

    /// <summary>The trace it belongs to, or <c>null</c> (the local server's extension).</summary>
    public string? TraceId { get; set; }
}

/// <summary>One page of <c>GET /v1/events</c>.</summary>
public sealed class EventList : TracesModel
{
    /// <summary>The entries of this page.</summary>
    public IReadOnlyList<EventSummary>? Events { get; set; }

    /// <summary>The 1-based page number.</summary>
    public int? Page { get; set; }

    /// <summary>The page size used.</summary>
    public int? Limit { get; set; }

    /// <summary>Every entry matching the filter.</summary>
    public long? Total { get; set; }

    /// <summary>Whether another page follows.</summary>
    public bool? HasMore { get; set; }
}

/// <summary>The tenant an API key belongs to (<c>tenant</c> of <c>GET /v1/me</c>).</summary>
public sealed class CallerTenant : TracesModel
{
    /// <summary>The tenant id.</summary>
    public string? Id { get; set; }

    /// <summary>The tenant's name, where the service has one.</summary>
    public string? Name { get; set; }
}

/// <summary>The API key as the service describes it (<c>api_key</c> of <c>GET /v1/me</c>); never the secret.</summary>
public sealed class CallerApiKey : TracesModel
{
    /// <summary>The key's non-secret id.</summary>
    public string? Id { get; set; }

    /// <summary>The key's name, where the service has one.</summary>
    public string? Name { get; set; }

    /// <summary>The key's public prefix, e.g. <c>sk_live_</c>.</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>The key's last four characters, where the service shows them.</summary>
    public string? KeyLast4 { get; set; }
}

/// <summary>Response of <c>GET /v1/me</c>: who the API key is (Invoance's <c>organization</c> and <c>limits</c> stay in <see cref="TracesModel.AdditionalProperties"/>).</summary>
public sealed class CallerIdentity : TracesModel
{
    /// <summary>Whether the key is valid.</summary>
    public bool? Valid { get; set; }

    /// <summary>The key's tenant.</summary>
    public CallerTenant? Tenant { get; set; }

    /// <summary>The key.</summary>
    public CallerApiKey? ApiKey { get; set; }
}

/// <summary>An entry as listed in a trace.</summary>
public sealed class TraceEntrySummary : TracesModel
{
    /// <summary>Zero-based position in the trace.</summary>
    public long? Index { get; set; }

    /// <summary>Entry id.</summary>
    public string? EventId { get; set; }

    /// <summary>Entry type, e.g. <c>document.anchored</c>.</summary>
    public string? EventType { get; set; }

    /// <summary><c>sha256:</c> of the RFC 8785 payload.</summary>
    public string? PayloadHash { get; set; }

    /// <summary><c>sha256:</c> of the content preimage (what is signed).</summary>
    public string? ContentHash { get; set; }

    /// <summary>The previous entry's chain hash; <c>null</c> for the first.</summary>
    public string? PreviousChainHash { get; set; }

    /// <summary>This entry's chain hash.</summary>
    public string? ChainHash { get; set; }

    /// <summary>When the service accepted the entry.</summary>
    public DateTimeOffset? IngestedAt { get; set; }
}

/// <summary>A trace as listed by <c>GET /v1/traces</c>.</summary>
public sealed class TraceSummary : TracesModel
{
    /// <summary>Trace id.</summary>
    public string? TraceId { get; set; }

    /// <summary>Human label.</summary>
    public string? Label { get; set; }

    /// <summary>The agent (Novyx).</summary>
    public string? AgentId { get; set; }

    /// <summary>Lifecycle state.</summary>
    public TraceStatus? Status { get; set; }

    /// <summary>Number of entries.</summary>
    public long? EventCount { get; set; }

    /// <summary>When the trace was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was sealed, if it is.</summary>
    public DateTimeOffset? SealedAt { get; set; }

    /// <summary>The composite hash, if sealed.</summary>
    public string? CompositeHash { get; set; }
}

/// <summary>One page of <c>GET /v1/traces</c>.</summary>
public sealed class TraceList : TracesModel
{
    /// <summary>The traces of this page.</summary>
    public IReadOnlyList<TraceSummary>? Traces { get; set; }

    /// <summary>The 1-based page number (Invoance's paging); <c>null</c> when the page was asked for by cursor.</summary>
    public int? Page { get; set; }

    /// <summary>The page size used.</summary>
    public int? Limit { get; set; }

    /// <summary>Every trace matching the filters.</summary>
    public long? Total { get; set; }

    /// <summary>Whether another page follows.</summary>
    public bool? HasMore { get; set; }

    /// <summary>The cursor of the next page, or <c>null</c> on the last page.</summary>
    public string? NextCursor { get; set; }
}

/// <summary>Response of <c>POST /v1/traces/{trace_id}/steps</c>.</summary>
public sealed class StepReceipt : TracesModel
{
    /// <summary>The step's entry id.</summary>
    public string? StepId { get; set; }

    /// <summary>The entry's index in the trace (steps, events, documents and attestations share one sequence).</summary>
    public long? StepIndex { get; set; }

    /// <summary>The entry's chain hash.</summary>
    public string? IntegrityChainHash { get; set; }

    /// <summary>The entry id (same as <see cref="StepId"/>).</summary>
    public string? EventId { get; set; }

    /// <summary><c>sha256:</c> of the RFC 8785 payload.</summary>
    public string? PayloadHash { get; set; }

    /// <summary><c>sha256:</c> of the content preimage.</summary>
    public string? ContentHash { get; set; }

    /// <summary>When the service accepted the step.</summary>
    public DateTimeOffset? IngestedAt { get; set; }
}

/// <summary>The signed entry returned by <c>POST /v1/events</c>, <c>/v1/document/anchor</c> and <c>/v1/ai/attestations</c>.</summary>
public sealed class EntryReceipt : TracesModel
{
    /// <summary>Entry id.</summary>
    public string? EventId { get; set; }

    /// <summary>Same as <see cref="EventId"/> for attestations (Invoance SDK shape).</summary>
    public string? AttestationId { get; set; }

    /// <summary>Same as <see cref="EventId"/> for documents (set by the client).</summary>
    public string? DocumentId { get; set; }

    /// <summary>The anchored document's hash as the service answers it (Invoance: 64 lowercase hex).</summary>
    public string? DocumentHash { get; set; }

    /// <summary>The hash of an attestation's input.</summary>
    public string? InputHash { get; set; }

    /// <summary>The hash of an attestation's output.</summary>
    public string? OutputHash { get; set; }

    /// <summary>When a document or attestation was accepted (Invoance's name; equals <see cref="IngestedAt"/> on the local server).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>A document's or attestation's status, e.g. <c>anchored</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Entry type.</summary>
    public string? EventType { get; set; }

    /// <summary>The trace, or <c>null</c> for a standalone entry.</summary>
    public string? TraceId { get; set; }

    /// <summary>Position in the trace; <c>null</c> for a standalone entry.</summary>
    public long? Index { get; set; }

    /// <summary><c>sha256:</c> of the RFC 8785 payload.</summary>
    public string? PayloadHash { get; set; }

    /// <summary><c>sha256:</c> of the content preimage.</summary>
    public string? ContentHash { get; set; }

    /// <summary>The previous chain hash; <c>null</c> for the first or a standalone entry.</summary>
    public string? PreviousChainHash { get; set; }

    /// <summary>The chain hash; <c>null</c> for a standalone entry.</summary>
    public string? ChainHash { get; set; }

    /// <summary>When the service accepted the entry.</summary>
    public DateTimeOffset? IngestedAt { get; set; }

    /// <summary><c>sha256:</c> fingerprint of the signing key (a hint, not trust).</summary>
    public string? KeyId { get; set; }

    /// <summary><c>ed25519:</c> + hex signature.</summary>
    public string? Signature { get; set; }
}

/// <summary>Response of <c>POST /v1/traces/{trace_id}/seal</c> and <c>/complete</c>.</summary>
public sealed class SealTraceResponse : TracesModel
{
    /// <summary>The trace.</summary>
    public string? TraceId { get; set; }

    /// <summary>The trace's status after the call (<c>sealing</c> or <c>sealed</c>).</summary>
    public TraceStatus? Status { get; set; }

    /// <summary>A human-readable message.</summary>
    public string? Message { get; set; }

    /// <summary>The integrity root hash, when the service returns it at once (Novyx <c>complete</c>).</summary>
    public string? IntegrityRootHash { get; set; }

    /// <summary>The signature of the root hash, when the service returns it at once (Novyx <c>complete</c>).</summary>
    public string? Signature { get; set; }
}

/// <summary>A problem the server's own check found (a finding code of proof-format §10).</summary>
public sealed class VerificationDiscrepancy : TracesModel
{
    /// <summary>The finding code.</summary>
    public string? Code { get; set; }

    /// <summary>A human-readable message.</summary>
    public string? Message { get; set; }

    /// <summary>The entry's index, if the finding concerns one.</summary>
    public long? Index { get; set; }

    /// <summary>The entry's id, if the finding concerns one.</summary>
    public string? EventId { get; set; }
}

/// <summary>
/// Response of <c>POST /v1/traces/{trace_id}/verify</c>: the server's own check. Only as trustworthy as the
/// server; use <c>VerifyOfflineAsync</c> to verify independently.
/// </summary>
public sealed class ServerVerificationResult : TracesModel
{
    /// <summary>The trace.</summary>
    public string? TraceId { get; set; }

    /// <summary>Overall validity.</summary>
    public bool? Valid { get; set; }

    /// <summary><c>valid</c>, <c>untrusted</c> or <c>invalid</c>.</summary>
    public string? Verdict { get; set; }

    /// <summary>Whether the hash chain is intact.</summary>
    public bool? ChainValid { get; set; }

    /// <summary>Whether the signatures are valid.</summary>
    public bool? SignatureValid { get; set; }

    /// <summary>Whether the composite hash matches.</summary>
    public bool? CompositeValid { get; set; }

    /// <summary>Number of entries checked.</summary>
    public long? EventCount { get; set; }

    /// <summary>The problems found; empty when valid.</summary>
    public IReadOnlyList<VerificationDiscrepancy>? Discrepancies { get; set; }

    /// <summary>The first invalid entry, as the server reports it (index or object), or <c>null</c>.</summary>
    public JsonNode? FirstInvalidEvent { get; set; }

    /// <summary>When the server checked.</summary>
    public DateTimeOffset? VerifiedAt { get; set; }
}
