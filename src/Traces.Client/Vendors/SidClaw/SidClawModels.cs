using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Traces.Client.Errors;
using Traces.Client.Models;

namespace Traces.Client.Vendors.SidClaw;

/// <summary>The body of <c>POST /api/v1/evaluate</c> (packages/shared EvaluateRequestSchema, plus <c>agent_id</c>).</summary>
public sealed class SidClawEvaluateRequest
{
    /// <summary>The agent (required).</summary>
    public string? AgentId { get; set; }

    /// <summary>The operation, e.g. <c>send</c> (required, ≤ 1,000 characters).</summary>
    public string? Operation { get; set; }

    /// <summary>The integration, e.g. <c>communications_service</c> (required).</summary>
    public string? TargetIntegration { get; set; }

    /// <summary>The resource scope (required).</summary>
    public string? ResourceScope { get; set; }

    /// <summary><c>public</c>, <c>internal</c>, <c>confidential</c> or <c>restricted</c> (required).</summary>
    public string? DataClassification { get; set; }

    /// <summary>Free context for the policy engine.</summary>
    public JsonObject? Context { get; set; }
}

/// <summary>The answer of <c>POST /api/v1/evaluate</c>; every call creates a trace.</summary>
public sealed class SidClawEvaluation : TracesModel
{
    /// <summary>A <see cref="SidClawDecisions"/> value.</summary>
    public string? Decision { get; set; }

    /// <summary>The trace this evaluation created.</summary>
    public string? TraceId { get; set; }

    /// <summary>The approval request, when the decision is <c>approval_required</c>.</summary>
    public string? ApprovalRequestId { get; set; }

    /// <summary>The matched policy's rationale.</summary>
    public string? Reason { get; set; }

    /// <summary>The matched policy rule.</summary>
    public string? PolicyRuleId { get; set; }

    /// <summary>The risk class (<c>approval_required</c> only).</summary>
    public string? RiskClassification { get; set; }
}

/// <summary>A trace as <c>GET /api/v1/traces</c> lists it.</summary>
public sealed class SidClawTraceSummary : TracesModel
{
    /// <summary>The trace id (a UUID; seeded demo traces have ids such as <c>trace-003</c>).</summary>
    public string? Id { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The agent's display name.</summary>
    public string? AgentName { get; set; }

    /// <summary>The agent's authority model at evaluation time.</summary>
    public string? AuthorityModel { get; set; }

    /// <summary>The operation evaluated.</summary>
    public string? RequestedOperation { get; set; }

    /// <summary>The integration.</summary>
    public string? TargetIntegration { get; set; }

    /// <summary>The resource scope.</summary>
    public string? ResourceScope { get; set; }

    /// <summary>A <see cref="SidClawOutcomes"/> value.</summary>
    public string? FinalOutcome { get; set; }

    /// <summary>When the trace started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it completed; <c>null</c> while in progress.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Milliseconds from start to completion; <c>null</c> while in progress.</summary>
    public long? DurationMs { get; set; }

    /// <summary>Events in the trace.</summary>
    public int? EventCount { get; set; }

    /// <summary>Whether an approval request belongs to the trace.</summary>
    public bool? HasApproval { get; set; }
}

/// <summary><c>pagination</c> of <c>GET /api/v1/traces</c> (offset paging).</summary>
public sealed class SidClawPagination : TracesModel
{
    /// <summary>Traces matching the filter in all.</summary>
    public long? Total { get; set; }

    /// <summary>The page size the server applied (1–100).</summary>
    public int? Limit { get; set; }

    /// <summary>The offset the server applied.</summary>
    public long? Offset { get; set; }
}

/// <summary>The answer of <c>GET /api/v1/traces</c>: <c>{data, pagination}</c>.</summary>
public sealed class SidClawTraceList : TracesModel
{
    /// <summary>This page, newest first.</summary>
    public IReadOnlyList<SidClawTraceSummary>? Data { get; set; }

    /// <summary>Total, limit and offset.</summary>
    public SidClawPagination? Pagination { get; set; }
}

/// <summary>Every filter of <c>GET /api/v1/traces</c>.</summary>
public sealed class SidClawTraceListFilter
{
    /// <summary>Only this agent's traces.</summary>
    public string? AgentId { get; set; }

    /// <summary>Only traces with this <see cref="SidClawOutcomes"/> value.</summary>
    public string? Outcome { get; set; }

    /// <summary>Only traces started at or after this instant.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Only traces started at or before this instant.</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>Page size, 1–100 (server default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>Traces to skip (default 0).</summary>
    public long? Offset { get; set; }
}

/// <summary>An audit event of a trace, as <c>GET /api/v1/traces/{id}</c> lists it (the export omits <c>integrity_hash</c> and <c>approval_request_id</c>).</summary>
public sealed class SidClawEvent : TracesModel
{
    /// <summary>The event id.</summary>
    public string? Id { get; set; }

    /// <summary>A <see cref="SidClawEventTypes"/> value.</summary>
    public string? EventType { get; set; }

    /// <summary><c>agent</c>, <c>policy_engine</c>, <c>approval_service</c>, <c>human_reviewer</c> or <c>system</c>.</summary>
    public string? ActorType { get; set; }

    /// <summary>The actor's display name.</summary>
    public string? ActorName { get; set; }

    /// <summary>What happened.</summary>
    public string? Description { get; set; }

    /// <summary>The event's status.</summary>
    public string? Status { get; set; }

    /// <summary>When it happened (milliseconds).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The policy version at evaluation; <c>null</c> for most events. Not covered by the integrity hash.</summary>
    public int? PolicyVersion { get; set; }

    /// <summary>The approval request, when the event concerns one. Not covered by the integrity hash.</summary>
    public string? ApprovalRequestId { get; set; }

    /// <summary>Event metadata. Not covered by the integrity hash.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>Lowercase hex SHA-256 chaining to the previous event (apps/api integrity-service.ts); <c>null</c> on seeded events.</summary>
    public string? IntegrityHash { get; set; }
}

/// <summary>An approval request as a trace lists it (detail: id, status, approver, decision time; export: also flag reason and note).</summary>
public sealed class SidClawApprovalSummary : TracesModel
{
    /// <summary>The approval request id.</summary>
    public string? Id { get; set; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>denied</c> or <c>expired</c>.</summary>
    public string? Status { get; set; }

    /// <summary>Why approval was required (export only).</summary>
    public string? FlagReason { get; set; }

    /// <summary>Who decided.</summary>
    public string? ApproverName { get; set; }

    /// <summary>The reviewer's note (export only).</summary>
    public string? DecisionNote { get; set; }

    /// <summary>When it was decided.</summary>
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>
/// A trace: <c>GET /api/v1/traces/{id}</c> (with telemetry, events and approval requests) and <c>trace</c> of the
/// single-trace export (without them).
/// </summary>
public sealed class SidClawTrace : TracesModel
{
    /// <summary>The trace id.</summary>
    public string? Id { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The agent's display name.</summary>
    public string? AgentName { get; set; }

    /// <summary>The agent's authority model at evaluation time.</summary>
    public string? AuthorityModel { get; set; }

    /// <summary>The operation evaluated.</summary>
    public string? RequestedOperation { get; set; }

    /// <summary>The integration.</summary>
    public string? TargetIntegration { get; set; }

    /// <summary>The resource scope.</summary>
    public string? ResourceScope { get; set; }

    /// <summary>The parent trace, if any.</summary>
    public string? ParentTraceId { get; set; }

    /// <summary>A <see cref="SidClawOutcomes"/> value.</summary>
    public string? FinalOutcome { get; set; }

    /// <summary>When the trace started.</summary>
    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>When it completed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Milliseconds from start to completion.</summary>
    public long? DurationMs { get; set; }

    /// <summary>The outcome's summary (set once).</summary>
    public string? OutcomeSummary { get; set; }

    /// <summary><c>timeout</c>, <c>permission</c>, <c>not_found</c> or <c>runtime</c>.</summary>
    public string? ErrorClassification { get; set; }

    /// <summary>The operation's exit code.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Input tokens (additive through telemetry).</summary>
    public long? TokensIn { get; set; }

    /// <summary>Output tokens.</summary>
    public long? TokensOut { get; set; }

    /// <summary>Cache-read tokens.</summary>
    public long? TokensCacheRead { get; set; }

    /// <summary>The model (set once).</summary>
    public string? Model { get; set; }

    /// <summary>Estimated cost.</summary>
    public decimal? CostEstimate { get; set; }

    /// <summary>The events, by timestamp.</summary>
    public IReadOnlyList<SidClawEvent>? Events { get; set; }

    /// <summary>The approval requests.</summary>
    public IReadOnlyList<SidClawApprovalSummary>? ApprovalRequests { get; set; }
}

/// <summary>The single-trace export (<c>GET /api/v1/traces/{id}/export</c>): <c>{trace, events, approval_requests, exported_at}</c>.</summary>
public sealed class SidClawTraceExport : TracesModel
{
    /// <summary>The trace (without telemetry).</summary>
    public SidClawTrace? Trace { get; set; }

    /// <summary>The events, without <c>integrity_hash</c> (the chain cannot be checked from this document).</summary>
    public IReadOnlyList<SidClawEvent>? Events { get; set; }

    /// <summary>The approval requests, with flag reason and note.</summary>
    public IReadOnlyList<SidClawApprovalSummary>? ApprovalRequests { get; set; }

    /// <summary>When the export was made.</summary>
    public DateTimeOffset? ExportedAt { get; set; }
}

/// <summary>The body of <c>POST /api/v1/traces/{id}/outcome</c>: every member the server takes (its schema is strict: nothing else).</summary>
public sealed class SidClawOutcomeRequest
{
    /// <summary><c>success</c> or <c>error</c> (required).</summary>
    public string? Status { get; set; }

    /// <summary>Outcome metadata (stored on the event; not hashed).</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>A summary, ≤ 2,000 characters (set once).</summary>
    public string? OutcomeSummary { get; set; }

    /// <summary><c>timeout</c>, <c>permission</c>, <c>not_found</c> or <c>runtime</c>.</summary>
    public string? ErrorClassification { get; set; }

    /// <summary>−255 to 255.</summary>
    public int? ExitCode { get; set; }

    /// <summary>Input tokens (0 to 2^31−1).</summary>
    public long? TokensIn { get; set; }

    /// <summary>Output tokens.</summary>
    public long? TokensOut { get; set; }

    /// <summary>Cache-read tokens.</summary>
    public long? TokensCacheRead { get; set; }

    /// <summary>The model, ≤ 100 characters (set once).</summary>
    public string? Model { get; set; }

    /// <summary>Estimated cost, 0 to 10,000,000.</summary>
    public decimal? CostEstimate { get; set; }
}

/// <summary>The body of <c>PATCH /api/v1/traces/{id}/telemetry</c>: counters add up, model and summary are set once; at least one member.</summary>
public sealed class SidClawTelemetryRequest
{
    /// <summary>Input tokens to add.</summary>
    public long? TokensIn { get; set; }

    /// <summary>Output tokens to add.</summary>
    public long? TokensOut { get; set; }

    /// <summary>Cache-read tokens to add.</summary>
    public long? TokensCacheRead { get; set; }

    /// <summary>The model (ignored when already set).</summary>
    public string? Model { get; set; }

    /// <summary>Cost to add.</summary>
    public decimal? CostEstimate { get; set; }

    /// <summary>A summary (ignored when already set).</summary>
    public string? OutcomeSummary { get; set; }
}

/// <summary>Where the server's chain walk stopped (<c>broken_at</c> of verify).</summary>
public sealed class SidClawBrokenLink : TracesModel
{
    /// <summary>The first event whose stored hash does not match.</summary>
    public string? EventId { get; set; }

    /// <summary>Its type.</summary>
    public string? EventType { get; set; }

    /// <summary>The hash the server recomputed.</summary>
    public string? ExpectedHash { get; set; }

    /// <summary>The hash stored.</summary>
    public string? ActualHash { get; set; }
}

/// <summary>
/// The answer of <c>GET /api/v1/traces/{id}/verify</c>, as the server sends it
/// (<c>{verified, total_events, verified_events, broken_at}</c>, apps/api integrity-service.ts), with the seed's
/// documented members (<c>trace_id, valid, event_count, first_invalid_event, verified_at</c>) read too. The server's
/// own check, only as trustworthy as the server: an unknown trace is <c>verified: true</c> with 0 events, and events
/// without a hash are skipped.
/// </summary>
public sealed class SidClawVerification : TracesModel
{
    /// <summary>Whether every hashed event matched (server).</summary>
    public bool? Verified { get; set; }

    /// <summary>Events in the trace (server).</summary>
    public int? TotalEvents { get; set; }

    /// <summary>Events whose hash matched (server); less than <see cref="TotalEvents"/> when some have none.</summary>
    public int? VerifiedEvents { get; set; }

    /// <summary>The first mismatch (server), <c>null</c> when none.</summary>
    public SidClawBrokenLink? BrokenAt { get; set; }

    /// <summary>The trace id (docs only).</summary>
    public string? TraceId { get; set; }

    /// <summary>Whether the chain is intact (docs only).</summary>
    public bool? Valid { get; set; }

    /// <summary>Events checked (docs only).</summary>
    public int? EventCount { get; set; }

    /// <summary>The first invalid event (docs only).</summary>
    public string? FirstInvalidEvent { get; set; }

    /// <summary>When the check ran (docs only).</summary>
    public DateTimeOffset? VerifiedAt { get; set; }

    /// <summary>The verdict whichever shape arrived: <see cref="Verified"/>, else <see cref="Valid"/>.</summary>
    [JsonIgnore]
    public bool? IsValid => Verified ?? Valid;
}

/// <summary>An event of the SIEM audit export (<c>GET /api/v1/audit/export</c>), JSON or CSV.</summary>
public sealed class SidClawAuditEvent : TracesModel
{
    /// <summary>The event id.</summary>
    public string? EventId { get; set; }

    /// <summary>Its trace.</summary>
    public string? TraceId { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>A <see cref="SidClawEventTypes"/> value.</summary>
    public string? EventType { get; set; }

    /// <summary>The actor type.</summary>
    public string? ActorType { get; set; }

    /// <summary>The actor's name.</summary>
    public string? ActorName { get; set; }

    /// <summary>What happened.</summary>
    public string? Description { get; set; }

    /// <summary>The status.</summary>
    public string? Status { get; set; }

    /// <summary>When (milliseconds).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The policy version, if any.</summary>
    public int? PolicyVersion { get; set; }

    /// <summary>The event's hash: bare lowercase hex (the docs' <c>sha256:</c> prefix is not what the server sends).</summary>
    public string? IntegrityHash { get; set; }
}

/// <summary>A row of the bulk trace CSV export (<c>GET /api/v1/traces/export?format=csv</c>, 17 columns).</summary>
public sealed class SidClawTraceExportRow
{
    /// <summary><c>trace_id</c></summary>
    public string TraceId { get; init; } = string.Empty;

    /// <summary><c>agent_id</c></summary>
    public string? AgentId { get; init; }

    /// <summary><c>agent_name</c></summary>
    public string? AgentName { get; init; }

    /// <summary><c>operation</c></summary>
    public string? Operation { get; init; }

    /// <summary><c>target_integration</c></summary>
    public string? TargetIntegration { get; init; }

    /// <summary><c>resource_scope</c></summary>
    public string? ResourceScope { get; init; }

    /// <summary><c>data_classification</c> (of the approval request; empty without one)</summary>
    public string? DataClassification { get; init; }

    /// <summary><c>final_outcome</c></summary>
    public string? FinalOutcome { get; init; }

    /// <summary><c>started_at</c></summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary><c>completed_at</c></summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary><c>duration_ms</c></summary>
    public long? DurationMs { get; init; }

    /// <summary><c>approval_required</c></summary>
    public bool? ApprovalRequired { get; init; }

    /// <summary><c>approver_name</c></summary>
    public string? ApproverName { get; init; }

    /// <summary><c>approval_decision</c></summary>
    public string? ApprovalDecision { get; init; }

    /// <summary><c>approval_decided_at</c></summary>
    public DateTimeOffset? ApprovalDecidedAt { get; init; }

    /// <summary><c>policy_rule_id</c></summary>
    public string? PolicyRuleId { get; init; }

    /// <summary><c>policy_version</c></summary>
    public int? PolicyVersion { get; init; }
}

/// <summary>An agent as an approval request embeds it.</summary>
public sealed class SidClawAgent : TracesModel
{
    /// <summary>The agent id.</summary>
    public string? Id { get; set; }

    /// <summary>Its name.</summary>
    public string? Name { get; set; }

    /// <summary>Its owner.</summary>
    public string? OwnerName { get; set; }

    /// <summary>The owner's role.</summary>
    public string? OwnerRole { get; set; }

    /// <summary>The team.</summary>
    public string? Team { get; set; }

    /// <summary>The authority model.</summary>
    public string? AuthorityModel { get; set; }

    /// <summary>The identity mode.</summary>
    public string? IdentityMode { get; set; }

    /// <summary>The delegation model.</summary>
    public string? DelegationModel { get; set; }

    /// <summary>The autonomy tier.</summary>
    public string? AutonomyTier { get; set; }
}

/// <summary>A policy rule as an approval request embeds it.</summary>
public sealed class SidClawPolicyRule : TracesModel
{
    /// <summary>The rule id.</summary>
    public string? Id { get; set; }

    /// <summary>The policy's name.</summary>
    public string? PolicyName { get; set; }

    /// <summary>Its rationale.</summary>
    public string? Rationale { get; set; }

    /// <summary>Its version.</summary>
    public int? PolicyVersion { get; set; }

    /// <summary>The data classification it applies to.</summary>
    public string? DataClassification { get; set; }

    /// <summary>Its effect.</summary>
    public string? PolicyEffect { get; set; }
}

/// <summary>An approval request with its context: <c>GET /api/v1/approvals/{id}</c> and the answer of approve and deny.</summary>
public sealed class SidClawApproval : TracesModel
{
    /// <summary>The approval request id.</summary>
    public string? Id { get; set; }

    /// <summary>The tenant.</summary>
    public string? TenantId { get; set; }

    /// <summary>The trace it gates.</summary>
    public string? TraceId { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The matched rule.</summary>
    public string? PolicyRuleId { get; set; }

    /// <summary>The operation.</summary>
    public string? RequestedOperation { get; set; }

    /// <summary>The integration.</summary>
    public string? TargetIntegration { get; set; }

    /// <summary>The resource scope.</summary>
    public string? ResourceScope { get; set; }

    /// <summary>The data classification.</summary>
    public string? DataClassification { get; set; }

    /// <summary>The authority model.</summary>
    public string? AuthorityModel { get; set; }

    /// <summary>Who delegated, if anyone.</summary>
    public string? DelegatedFrom { get; set; }

    /// <summary>The policy effect.</summary>
    public string? PolicyEffect { get; set; }

    /// <summary>Why approval is required.</summary>
    public string? FlagReason { get; set; }

    /// <summary><c>pending</c>, <c>approved</c>, <c>denied</c> or <c>expired</c>.</summary>
    public string? Status { get; set; }

    /// <summary>When it was requested.</summary>
    public DateTimeOffset? RequestedAt { get; set; }

    /// <summary>When it was decided.</summary>
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Who decided.</summary>
    public string? ApproverName { get; set; }

    /// <summary>The reviewer's note.</summary>
    public string? DecisionNote { get; set; }

    /// <summary>The separation-of-duties check.</summary>
    public string? SeparationOfDutiesCheck { get; set; }

    /// <summary>When it expires.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The risk class.</summary>
    public string? RiskClassification { get; set; }

    /// <summary>The context captured at evaluation.</summary>
    public JsonObject? ContextSnapshot { get; set; }

    /// <summary>The agent.</summary>
    public SidClawAgent? Agent { get; set; }

    /// <summary>The matched rule.</summary>
    public SidClawPolicyRule? PolicyRule { get; set; }

    /// <summary>The trace's events so far (without hashes).</summary>
    public IReadOnlyList<SidClawEvent>? TraceEvents { get; set; }
}

/// <summary>The body of approve and deny.</summary>
public sealed class SidClawApprovalDecision
{
    /// <summary>Who decides (required).</summary>
    public string? ApproverName { get; set; }

    /// <summary>A note.</summary>
    public string? DecisionNote { get; set; }
}

/// <summary>
/// A SidClaw error body (apps/api middleware/error-handler.ts): <c>{error, message, status, request_id, details?}</c>.
/// <see cref="TracesApiException.RawBody"/> keeps it; <see cref="From"/> reads it back.
/// </summary>
public sealed class SidClawError : TracesModel
{
    /// <summary>A <see cref="SidClawErrorCodes"/> value.</summary>
    public string? Error { get; set; }

    /// <summary>The message.</summary>
    public string? Message { get; set; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; set; }

    /// <summary>The request id (also <c>x-request-id</c>).</summary>
    public string? RequestId { get; set; }

    /// <summary>Details: validation issues, rate-limit figures.</summary>
    public JsonObject? Details { get; set; }

    /// <summary>The SidClaw error body of an exception this client raised; <c>null</c> when it carried none.</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The body, or <c>null</c>.</returns>
    public static SidClawError? From(TracesApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (string.IsNullOrWhiteSpace(exception.RawBody))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(exception.RawBody, VendorJsonContext.Default.SidClawError);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
