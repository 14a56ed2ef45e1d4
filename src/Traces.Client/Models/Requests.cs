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

/// <summary>Body of <c>POST /v1/document/anchor</c> (Invoance): a document anchored by its hash.</summary>
public sealed class AnchorDocumentRequest : IdempotentRequest
{
    /// <summary>
    /// The document's SHA-256: 64 hex digits, or <c>sha256:</c> + 64 hex digits. The client sends it as Invoance
    /// expects it, 64 lowercase hex digits without the prefix.
    /// </summary>
    public string? DocumentHash { get; set; }

    /// <summary>The caller's reference for the document, e.g. a file name.</summary>
    public string? DocumentRef { get; set; }

    /// <summary>Invoance's classification of the document, e.g. <c>invoice</c> or <c>contract</c> (at most 64 characters).</summary>
    public string? EventType { get; set; }

    /// <summary>
    /// The document itself in base64, for services that keep a copy (Invoance does; the local server checks it against
    /// <see cref="DocumentHash"/> and does not keep it). <c>null</c> anchors by hash only.
    /// </summary>
    public string? OriginalBytesB64 { get; set; }

    /// <summary>Arbitrary JSON metadata attached to the anchor, at most 16 KB.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The open trace to chain the entry into, or <c>null</c> for a standalone entry.</summary>
    public string? TraceId { get; set; }
}

/// <summary>
/// An AI attestation for <c>POST /v1/ai/attestations</c> (Invoance). Sent nested as Invoance expects it:
/// <c>{type, payload: {input, output}, context: {model_provider, model_name, model_version}, subject, trace_id}</c>.
/// </summary>
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

    /// <summary>The model version, e.g. <c>2025-04-14</c>.</summary>
    public string? ModelVersion { get; set; }

    /// <summary>Who or what triggered the attestation: <c>user_id</c>, <c>session_id</c> and any members of your own.</summary>
    public JsonObject? Subject { get; set; }

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

    /// <summary>The opaque cursor from a previous page's <see cref="TraceList.NextCursor"/> (an extension of the local server).</summary>
    public string? Cursor { get; set; }

    /// <summary>The 1-based page number (Invoance's paging); not together with <see cref="Cursor"/>.</summary>
    public int? Page { get; set; }
}

/// <summary>Filters for <c>GET /v1/events</c> (Invoance).</summary>
public sealed class EventListFilter
{
    /// <summary>The 1-based page number (service default 1).</summary>
    public int? Page { get; set; }

    /// <summary>Page size, 1–500 (service default 25).</summary>
    public int? Limit { get; set; }

    /// <summary>Only entries of this type.</summary>
    public string? EventType { get; set; }
}

/// <summary>The body <c>POST /v1/ai/attestations</c> takes (Invoance SDK resources/attestations.ts), built from <see cref="CreateAttestationRequest"/>.</summary>
internal sealed class AttestationBody
{
    public string? Type { get; init; }

    public AttestationContent? Payload { get; init; }

    public AttestationContext? Context { get; init; }

    public JsonObject? Subject { get; init; }

    public string? TraceId { get; init; }

    public static AttestationBody From(CreateAttestationRequest request) => new()
    {
        Type = request.Type,
        Payload = new AttestationContent { Input = request.Input, Output = request.Output },
        Context = request.ModelProvider is null && request.ModelName is null && request.ModelVersion is null
            ? null
            : new AttestationContext { ModelProvider = request.ModelProvider, ModelName = request.ModelName, ModelVersion = request.ModelVersion },
        Subject = request.Subject,
        TraceId = request.TraceId,
    };
}

internal sealed class AttestationContent
{
    public string? Input { get; init; }

    public string? Output { get; init; }
}

internal sealed class AttestationContext
{
    public string? ModelProvider { get; init; }

    public string? ModelName { get; init; }

    public string? ModelVersion { get; init; }
}
