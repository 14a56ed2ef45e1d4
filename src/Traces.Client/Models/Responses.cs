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

/// <summary>The signed entry returned by <c>POST /v1/events</c>, <c>/v1/documents</c> and <c>/v1/attestations</c>.</summary>
public sealed class EntryReceipt : TracesModel
{
    /// <summary>Entry id.</summary>
    public string? EventId { get; set; }

    /// <summary>Same as <see cref="EventId"/> for attestations (Invoance SDK shape).</summary>
    public string? AttestationId { get; set; }

    /// <summary>Same as <see cref="EventId"/> for documents (Invoance SDK shape).</summary>
    public string? DocumentId { get; set; }

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
