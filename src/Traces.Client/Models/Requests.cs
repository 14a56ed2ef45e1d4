using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Traces.Client.Models;

/// <summary>
/// A request that may carry a caller-chosen <c>Idempotency-Key</c> (docs/api.md, Idempotency). The key travels as a
/// header, never in the body.
/// </summary>
public abstract class IdempotentRequest
{
    /// <summary>
    /// The <c>Idempotency-Key</c> to send (1–255 printable ASCII characters). When <c>null</c> the client generates a
    /// fresh key per call (unless <see cref="TracesClientOptions.AutoIdempotencyKeys"/> is off); retries of that call
    /// reuse it, so a retried POST never executes twice.
    /// </summary>
    [JsonIgnore]
    public string? IdempotencyKey { get; set; }
}

/// <summary>Body of <c>POST /v1/traces</c>: Invoance <c>label</c> + <c>metadata</c>, Novyx <c>agent_id</c> + <c>description</c> + <c>tags</c>.</summary>
public sealed class CreateTraceRequest : IdempotentRequest
{
    /// <summary>Human label, at most 255 characters; required unless <see cref="AgentId"/> is set.</summary>
    public string? Label { get; set; }

    /// <summary>The agent the trace records (Novyx).</summary>
    public string? AgentId { get; set; }

    /// <summary>Free text, at most 1,000 characters.</summary>
    public string? Description { get; set; }

    /// <summary>Tags for filtering: at most 32 of at most 64 characters.</summary>
    public IList<string>? Tags { get; set; }

    /// <summary>Arbitrary JSON metadata, at most 16 KB in RFC 8785 form.</summary>
    public JsonObject? Metadata { get; set; }
}

/// <summary>Body of <c>POST /v1/traces/{trace_id}/steps</c> (Novyx agent step).</summary>
public sealed class AddStepRequest : IdempotentRequest
{
    /// <summary>The step type, e.g. <see cref="StepType.Thought"/>.</summary>
    public StepType Type { get; set; }

    /// <summary>The step content, at most 256 KB.</summary>
    public string? Content { get; set; }

    /// <summary>Additional metadata; the service stores <c>{}</c> when omitted.</summary>
    public JsonObject? Metadata { get; set; }
}

/// <summary>Body of <c>POST /v1/events</c> (Invoance event).</summary>
public sealed class RecordEventRequest : IdempotentRequest
{
    /// <summary>The event type, e.g. <c>invoice.received</c>.</summary>
    public string? EventType { get; set; }

    /// <summary>The event payload (any JSON value), at most 256 KB.</summary>
    public JsonNode? Payload { get; set; }

    /// <summary>The open trace to chain the event into; <c>null</c> records a standalone signed entry.</summary>
    public string? TraceId { get; set; }
}

/// <summary>Body of <c>POST /v1/documents</c>: a document anchored by its hash (the document is never uploaded).</summary>
public sealed class AnchorDocumentRequest : IdempotentRequest
{
    /// <summary><c>sha256:</c> + 64 lowercase hex digits (a bare 64-hex value is accepted by the service).</summary>
    public string? DocumentHash { get; set; }

    /// <summary>The caller's reference for the document, e.g. a file name.</summary>
    public string? DocumentRef { get; set; }

    /// <summary>The open trace to chain the entry into, or <c>null</c> for a standalone entry.</summary>
    public string? TraceId { get; set; }
}

/// <summary>Body of <c>POST /v1/attestations</c>: an AI attestation.</summary>
public sealed class CreateAttestationRequest : IdempotentRequest
{
    /// <summary>The attestation type, e.g. <c>output</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The model input.</summary>
    public string? Input { get; set; }

    /// <summary>The model output.</summary>
    public string? Output { get; set; }

    /// <summary>The model provider, e.g. <c>openai</c>.</summary>
    public string? ModelProvider { get; set; }

    /// <summary>The model name, e.g. <c>gpt-4.1</c>.</summary>
    public string? ModelName { get; set; }

    /// <summary>The open trace to chain the entry into, or <c>null</c> for a standalone entry.</summary>
    public string? TraceId { get; set; }
}

/// <summary>Filters for <c>GET /v1/traces</c>.</summary>
public sealed class TraceListFilter
{
    /// <summary>Only traces in this status.</summary>
    public TraceStatus? Status { get; set; }

    /// <summary>Only traces of this agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>Inclusive lower bound on <c>created_at</c>.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Inclusive upper bound on <c>created_at</c>.</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>Page size, 1–100 (service default 25).</summary>
    public int? Limit { get; set; }

    /// <summary>The opaque cursor from a previous page's <see cref="TraceList.NextCursor"/>.</summary>
    public string? Cursor { get; set; }
}
