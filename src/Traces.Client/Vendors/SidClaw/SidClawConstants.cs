namespace Traces.Client.Vendors.SidClaw;

/// <summary>
/// <c>final_outcome</c> of a SidClaw trace, as the server writes it (apps/api routes/evaluate.ts and traces.ts). The
/// docs' list filter names <c>pending</c>; the server writes <c>in_progress</c>.
/// </summary>
public static class SidClawOutcomes
{
    /// <summary><c>in_progress</c>: awaiting approval or an outcome.</summary>
    public const string InProgress = "in_progress";

    /// <summary><c>executed</c>.</summary>
    public const string Executed = "executed";

    /// <summary><c>blocked</c>: denied by policy, or an <c>error</c> outcome.</summary>
    public const string Blocked = "blocked";

    /// <summary><c>denied</c>: a reviewer denied the approval.</summary>
    public const string Denied = "denied";

    /// <summary><c>completed_with_approval</c>.</summary>
    public const string CompletedWithApproval = "completed_with_approval";

    /// <summary><c>expired</c>: the approval expired.</summary>
    public const string Expired = "expired";
}

/// <summary><c>decision</c> of <c>POST /api/v1/evaluate</c>.</summary>
public static class SidClawDecisions
{
    /// <summary><c>allow</c>: the trace is closed as <c>executed</c>.</summary>
    public const string Allow = "allow";

    /// <summary><c>approval_required</c>: an approval request was created.</summary>
    public const string ApprovalRequired = "approval_required";

    /// <summary><c>deny</c>: the trace is closed as <c>blocked</c>.</summary>
    public const string Deny = "deny";
}

/// <summary>
/// <c>event_type</c> of a SidClaw audit event: the seed's list plus what the server also writes
/// (<c>telemetry_appended</c>, apps/api routes/traces.ts).
/// </summary>
public static class SidClawEventTypes
{
    /// <summary><c>trace_initiated</c></summary>
    public const string TraceInitiated = "trace_initiated";

    /// <summary><c>identity_resolved</c></summary>
    public const string IdentityResolved = "identity_resolved";

    /// <summary><c>policy_evaluated</c></summary>
    public const string PolicyEvaluated = "policy_evaluated";

    /// <summary><c>sensitive_operation_detected</c></summary>
    public const string SensitiveOperationDetected = "sensitive_operation_detected";

    /// <summary><c>approval_requested</c></summary>
    public const string ApprovalRequested = "approval_requested";

    /// <summary><c>approval_granted</c></summary>
    public const string ApprovalGranted = "approval_granted";

    /// <summary><c>approval_denied</c></summary>
    public const string ApprovalDenied = "approval_denied";

    /// <summary><c>operation_allowed</c></summary>
    public const string OperationAllowed = "operation_allowed";

    /// <summary><c>operation_executed</c></summary>
    public const string OperationExecuted = "operation_executed";

    /// <summary><c>operation_denied</c></summary>
    public const string OperationDenied = "operation_denied";

    /// <summary><c>operation_failed</c></summary>
    public const string OperationFailed = "operation_failed";

    /// <summary><c>trace_closed</c></summary>
    public const string TraceClosed = "trace_closed";

    /// <summary><c>telemetry_appended</c> (every <c>PATCH …/telemetry</c>)</summary>
    public const string TelemetryAppended = "telemetry_appended";
}

/// <summary>
/// <c>error</c> codes of SidClaw error bodies (apps/api errors.ts, middleware/rate-limit.ts, routes/traces.ts).
/// </summary>
public static class SidClawErrorCodes
{
    /// <summary><c>validation_error</c> (400)</summary>
    public const string ValidationError = "validation_error";

    /// <summary><c>unauthorized</c> (401)</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary><c>forbidden</c> (403): the key lacks the scope.</summary>
    public const string Forbidden = "forbidden";

    /// <summary><c>not_found</c> (404)</summary>
    public const string NotFound = "not_found";

    /// <summary><c>conflict</c> (409): the trace is finalized or awaiting approval.</summary>
    public const string Conflict = "conflict";

    /// <summary><c>plan_limit_reached</c> (402)</summary>
    public const string PlanLimitReached = "plan_limit_reached";

    /// <summary><c>export_too_large</c> (413): over 100,000 rows.</summary>
    public const string ExportTooLarge = "export_too_large";

    /// <summary><c>rate_limit_exceeded</c> (429, with <c>Retry-After</c>)</summary>
    public const string RateLimitExceeded = "rate_limit_exceeded";

    /// <summary><c>internal_error</c> (500)</summary>
    public const string InternalError = "internal_error";
}

/// <summary>Formats of <c>GET /api/v1/audit/export</c>.</summary>
public enum SidClawExportFormat
{
    /// <summary>A JSON array (the server's default).</summary>
    Json = 0,

    /// <summary>CSV with a header row (RFC 4180 quoting).</summary>
    Csv = 1,
}
