using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Traces.Client.Models;

namespace Traces.Client.Vendors.StateBase;

/// <summary>The trace actions of StateBase's Traces API (seed 004, Trace Actions Reference).</summary>
public static class StateBaseTraceActions
{
    /// <summary><c>session.created</c>: agent_id, user_id, initial_state.</summary>
    public const string SessionCreated = "session.created";

    /// <summary><c>session.updated</c>: metadata_diff, ttl_seconds.</summary>
    public const string SessionUpdated = "session.updated";

    /// <summary><c>session.deleted</c>: reason, turn_count, memory_count.</summary>
    public const string SessionDeleted = "session.deleted";

    /// <summary><c>session.forked</c>: source_session_id, fork_version.</summary>
    public const string SessionForked = "session.forked";

    /// <summary><c>session.expired</c>: ttl_seconds, last_activity.</summary>
    public const string SessionExpired = "session.expired";

    /// <summary><c>state.updated</c>: reasoning, state_diff, version.</summary>
    public const string StateUpdated = "state.updated";

    /// <summary><c>state.rolled_back</c>: from_version, to_version, reason.</summary>
    public const string StateRolledBack = "state.rolled_back";

    /// <summary><c>turn.added</c>: turn_number, input_type, output_type, reasoning.</summary>
    public const string TurnAdded = "turn.added";

    /// <summary><c>memory.created</c>: content_preview, type, tags, embedded.</summary>
    public const string MemoryCreated = "memory.created";

    /// <summary><c>memory.updated</c>: content_changed, tags_changed.</summary>
    public const string MemoryUpdated = "memory.updated";

    /// <summary><c>memory.deleted</c>: content_preview, reason.</summary>
    public const string MemoryDeleted = "memory.deleted";
}

/// <summary>
/// A StateBase trace: the documented object (seed 004: <c>id, session_id, user_id, action, actor, timestamp,
/// details, metadata</c>) and what the real API's OpenAPI schema adds (statebase-python's generated client:
/// <c>resource_type, resource_id, actor_id, context, ip_address</c>), plus the list envelope's <c>object</c>.
/// </summary>
public sealed class StateBaseTrace : TracesModel
{
    /// <summary><c>trace</c>, when the API tags objects.</summary>
    public string? Object { get; set; }

    /// <summary>The trace id (<c>trace_…</c>).</summary>
    public string? Id { get; set; }

    /// <summary>The session, if any.</summary>
    public string? SessionId { get; set; }

    /// <summary>The user, if any.</summary>
    public string? UserId { get; set; }

    /// <summary>A <see cref="StateBaseTraceActions"/> value.</summary>
    public string? Action { get; set; }

    /// <summary>Who acted (an API key prefix).</summary>
    public string? Actor { get; set; }

    /// <summary>The actor's id (API schema).</summary>
    public string? ActorId { get; set; }

    /// <summary>The resource type (API schema).</summary>
    public string? ResourceType { get; set; }

    /// <summary>The resource id (API schema).</summary>
    public string? ResourceId { get; set; }

    /// <summary>When it happened.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>Action-specific details (see <see cref="StateBaseTraceActions"/>).</summary>
    public JsonObject? Details { get; set; }

    /// <summary>Custom metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Request context (API schema).</summary>
    public StateBaseTraceContext? Context { get; set; }

    /// <summary>The caller's address (API schema).</summary>
    public string? IpAddress { get; set; }
}

/// <summary><c>context</c> of a trace (API schema <c>TraceContext</c>).</summary>
public sealed class StateBaseTraceContext : TracesModel
{
    /// <summary>The request id.</summary>
    public string? RequestId { get; set; }

    /// <summary>The API key's id.</summary>
    public string? ApiKeyId { get; set; }
}

/// <summary>A page of traces: <c>{object: "list", data, has_more, first_id?, last_id?}</c> (cursor paging on <c>starting_after</c>).</summary>
public sealed class StateBaseTraceList : TracesModel
{
    /// <summary><c>list</c>.</summary>
    public string? Object { get; set; }

    /// <summary>This page.</summary>
    public IReadOnlyList<StateBaseTrace>? Data { get; set; }

    /// <summary>Whether more traces follow.</summary>
    public bool? HasMore { get; set; }

    /// <summary>The page's first id (docs' pagination response).</summary>
    public string? FirstId { get; set; }

    /// <summary>The page's last id, the next <c>starting_after</c> (docs' pagination response).</summary>
    public string? LastId { get; set; }
}

/// <summary>
/// Every filter of <c>GET /v1/traces</c>: the documented ones (seed 004) and the API schema's
/// (<c>resource_type</c>, <c>resource_id</c>, and <c>start_time</c>/<c>end_time</c>, sent beside
/// <c>created_after</c>/<c>created_before</c> with the same instants).
/// </summary>
public sealed class StateBaseTraceListFilter
{
    /// <summary>Only this session's traces.</summary>
    public string? SessionId { get; set; }

    /// <summary>Only this user's traces.</summary>
    public string? UserId { get; set; }

    /// <summary>Only this <see cref="StateBaseTraceActions"/> value.</summary>
    public string? Action { get; set; }

    /// <summary>Only traces after this instant.</summary>
    public DateTimeOffset? CreatedAfter { get; set; }

    /// <summary>Only traces before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; set; }

    /// <summary>Only this resource type (API schema).</summary>
    public string? ResourceType { get; set; }

    /// <summary>Only this resource (API schema).</summary>
    public string? ResourceId { get; set; }

    /// <summary>Page size, 1–100 (docs default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>The trace id after which the page starts.</summary>
    public string? StartingAfter { get; set; }
}

/// <summary>Webhook event types of the Traces API (seed 004, Webhooks).</summary>
public static class StateBaseWebhookEventTypes
{
    /// <summary><c>trace.created</c>: a new trace was logged.</summary>
    public const string TraceCreated = "trace.created";

    /// <summary><c>trace.rollback</c>: a state rollback occurred.</summary>
    public const string TraceRollback = "trace.rollback";

    /// <summary><c>trace.error</c>: an error trace was logged.</summary>
    public const string TraceError = "trace.error";
}

/// <summary>
/// A trace webhook delivery: StateBase's envelope <c>{id, type, created_at, data}</c> (docs api-reference
/// introduction, Webhook Payload) whose <c>data</c> is the trace.
/// </summary>
public sealed class StateBaseTraceWebhookEvent : TracesModel
{
    /// <summary>The event id (<c>evt_…</c>).</summary>
    public string? Id { get; set; }

    /// <summary>A <see cref="StateBaseWebhookEventTypes"/> value.</summary>
    public string? Type { get; set; }

    /// <summary>When the event was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The trace.</summary>
    public StateBaseTrace? Data { get; set; }

    /// <summary>Whether this is <c>trace.created</c>.</summary>
    [JsonIgnore]
    public bool IsTraceCreated => Type == StateBaseWebhookEventTypes.TraceCreated;

    /// <summary>Whether this is <c>trace.rollback</c>.</summary>
    [JsonIgnore]
    public bool IsTraceRollback => Type == StateBaseWebhookEventTypes.TraceRollback;

    /// <summary>Whether this is <c>trace.error</c>.</summary>
    [JsonIgnore]
    public bool IsTraceError => Type == StateBaseWebhookEventTypes.TraceError;
}

/// <summary><c>error</c> of a StateBase error body: <c>{"error": {code, message, type, param, retry_after?}}</c>.</summary>
public sealed class StateBaseErrorDetail : TracesModel
{
    /// <summary>e.g. <c>trace_not_found</c>, <c>invalid_request</c>, <c>rate_limit_exceeded</c>.</summary>
    public string? Code { get; set; }

    /// <summary>The message.</summary>
    public string? Message { get; set; }

    /// <summary>e.g. <c>invalid_request_error</c>, <c>rate_limit_error</c>.</summary>
    public string? Type { get; set; }

    /// <summary>The parameter at fault.</summary>
    public string? Param { get; set; }

    /// <summary>Seconds to wait (429).</summary>
    public int? RetryAfter { get; set; }
}

/// <summary>A StateBase error body.</summary>
public sealed class StateBaseError : TracesModel
{
    /// <summary>The error.</summary>
    public StateBaseErrorDetail? Error { get; set; }
}
