namespace Traces.Client.Errors;

/// <summary>
/// The error codes the client knows: the service's (docs/api.md, the Invoance and Novyx documents) and the client's
/// own for failures where no usable response arrived. <see cref="TracesApiException.ErrorCode"/> always carries the
/// raw string, also for codes not listed here (<see cref="Unknown"/>).
/// </summary>
public enum KnownErrorCode
{
    /// <summary>No code, or one this version of the client does not know.</summary>
    Unknown = 0,

    /// <summary><c>validation_error</c>: a field is missing, has the wrong type or is out of range.</summary>
    ValidationError,

    /// <summary><c>invalid_json</c>: the request body is not (I-)JSON.</summary>
    InvalidJson,

    /// <summary><c>invalid_label</c>: label missing, empty or longer than 255 characters.</summary>
    InvalidLabel,

    /// <summary><c>metadata_too_large</c>: metadata over 16 KB.</summary>
    MetadataTooLarge,

    /// <summary><c>trace_not_sealed</c>: proof, certificate or verify asked for a trace that is not sealed.</summary>
    TraceNotSealed,

    /// <summary><c>unauthorized</c>: no API key, or an unknown one.</summary>
    Unauthorized,

    /// <summary><c>trace_not_found</c>: no such trace for this tenant.</summary>
    TraceNotFound,

    /// <summary><c>trace_sealing</c>: the trace is being sealed.</summary>
    TraceSealing,

    /// <summary><c>trace_sealed</c>: the trace is sealed.</summary>
    TraceSealed,

    /// <summary><c>payload_too_large</c>: the request body exceeds the server's limit.</summary>
    PayloadTooLarge,

    /// <summary><c>empty_trace</c>: seal asked for a trace without entries.</summary>
    EmptyTrace,

    /// <summary><c>idempotency_key_reused</c>: an idempotency key reused for a different request.</summary>
    IdempotencyKeyReused,

    /// <summary><c>rate_limited</c>: per-key rate limit exceeded.</summary>
    RateLimited,

    /// <summary><c>internal_error</c>: a server fault.</summary>
    InternalError,

    /// <summary><c>TRACE_NOT_COMPLETED</c> (Novyx): verify asked for a trace that is not completed.</summary>
    TraceNotCompleted,

    /// <summary><c>not_found</c> (no such route, docs/api.md) or <c>NOT_FOUND</c> (Novyx: the trace does not exist).</summary>
    NotFound,

    /// <summary><c>network_error</c> (client): the request failed before a response arrived.</summary>
    NetworkError,

    /// <summary><c>timeout</c> (client): the attempt, the total request or the seal wait timed out.</summary>
    Timeout,

    /// <summary><c>invalid_response</c> (client): the response body was not the JSON the contract promises.</summary>
    InvalidResponse,

    /// <summary><c>method_not_allowed</c>: the route exists but not for this HTTP method (<c>405</c>).</summary>
    MethodNotAllowed,

    /// <summary><c>bad_request</c>: the HTTP request itself is malformed, e.g. broken chunked framing (<c>400</c>).</summary>
    BadRequest,

    /// <summary><c>request_timeout</c>: the request body arrived too slowly (<c>408</c>).</summary>
    RequestTimeout,

    /// <summary><c>seal_failed</c>: sealing failed for a reason retrying cannot remove (a trace's <c>error.code</c>).</summary>
    SealFailed,

    /// <summary><c>stored_entries_invalid</c>: the stored entries cannot be sealed (a trace's <c>error.code</c>).</summary>
    StoredEntriesInvalid,

    /// <summary><c>forbidden</c> (SidClaw: the key lacks the scope) or <c>permission_denied</c> (StateBase).</summary>
    Forbidden,

    /// <summary><c>conflict</c> (SidClaw: the trace is finalized or awaits approval).</summary>
    Conflict,

    /// <summary><c>export_too_large</c> (SidClaw: an export over 100,000 rows).</summary>
    ExportTooLarge,

    /// <summary><c>trace_not_empty</c>: delete asked for a trace that has entries (<c>409</c>).</summary>
    TraceNotEmpty,

    /// <summary><c>invalid_api_key</c> (Invoance SDK tests' 401 body): the API key is not valid.</summary>
    InvalidApiKey,
}

/// <summary>Wire strings of <see cref="KnownErrorCode"/>.</summary>
public static class TracesErrorCodes
{
    /// <summary><c>validation_error</c></summary>
    public const string ValidationError = "validation_error";

    /// <summary><c>invalid_json</c></summary>
    public const string InvalidJson = "invalid_json";

    /// <summary><c>invalid_label</c></summary>
    public const string InvalidLabel = "invalid_label";

    /// <summary><c>metadata_too_large</c></summary>
    public const string MetadataTooLarge = "metadata_too_large";

    /// <summary><c>trace_not_sealed</c></summary>
    public const string TraceNotSealed = "trace_not_sealed";

    /// <summary><c>unauthorized</c></summary>
    public const string Unauthorized = "unauthorized";

    /// <summary><c>trace_not_found</c></summary>
    public const string TraceNotFound = "trace_not_found";

    /// <summary><c>trace_sealing</c></summary>
    public const string TraceSealing = "trace_sealing";

    /// <summary><c>trace_sealed</c></summary>
    public const string TraceSealed = "trace_sealed";

    /// <summary><c>payload_too_large</c></summary>
    public const string PayloadTooLarge = "payload_too_large";

    /// <summary><c>empty_trace</c></summary>
    public const string EmptyTrace = "empty_trace";

    /// <summary><c>trace_not_empty</c></summary>
    public const string TraceNotEmpty = "trace_not_empty";

    /// <summary><c>idempotency_key_reused</c></summary>
    public const string IdempotencyKeyReused = "idempotency_key_reused";

    /// <summary><c>rate_limited</c></summary>
    public const string RateLimited = "rate_limited";

    /// <summary><c>internal_error</c></summary>
    public const string InternalError = "internal_error";

    /// <summary><c>TRACE_NOT_COMPLETED</c> (Novyx)</summary>
    public const string TraceNotCompleted = "TRACE_NOT_COMPLETED";

    /// <summary><c>NOT_FOUND</c> (Novyx)</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary><c>not_found</c>: no such route.</summary>
    public const string RouteNotFound = "not_found";

    /// <summary><c>method_not_allowed</c></summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary><c>bad_request</c></summary>
    public const string BadRequest = "bad_request";

    /// <summary><c>request_timeout</c></summary>
    public const string RequestTimeout = "request_timeout";

    /// <summary><c>seal_failed</c></summary>
    public const string SealFailed = "seal_failed";

    /// <summary><c>stored_entries_invalid</c></summary>
    public const string StoredEntriesInvalid = "stored_entries_invalid";

    /// <summary><c>network_error</c> (client-side)</summary>
    public const string NetworkError = "network_error";

    /// <summary><c>timeout</c> (client-side)</summary>
    public const string Timeout = "timeout";

    /// <summary><c>invalid_response</c> (client-side)</summary>
    public const string InvalidResponse = "invalid_response";

    /// <summary>
    /// Maps a wire code to <see cref="KnownErrorCode"/> (ordinal; Novyx codes are upper case). The vendors' own names
    /// of the same conditions map too: <c>rate_limit_exceeded</c> (SidClaw, StateBase), <c>RATE_LIMITED</c> (Novyx),
    /// <c>not-found</c> (Zen-mesh problem type), <c>resource_not_found</c>, <c>authentication_failed</c>,
    /// <c>invalid_request</c>, <c>permission_denied</c> (StateBase), <c>forbidden</c>, <c>conflict</c>,
    /// <c>export_too_large</c> (SidClaw).
    /// </summary>
    /// <param name="code">The wire code, or <c>null</c>.</param>
    public static KnownErrorCode Parse(string? code) => code switch
    {
        ValidationError => KnownErrorCode.ValidationError,
        InvalidJson => KnownErrorCode.InvalidJson,
        InvalidLabel => KnownErrorCode.InvalidLabel,
        MetadataTooLarge => KnownErrorCode.MetadataTooLarge,
        TraceNotSealed => KnownErrorCode.TraceNotSealed,
        Unauthorized => KnownErrorCode.Unauthorized,
        TraceNotFound => KnownErrorCode.TraceNotFound,
        TraceSealing => KnownErrorCode.TraceSealing,
        TraceSealed => KnownErrorCode.TraceSealed,
        PayloadTooLarge => KnownErrorCode.PayloadTooLarge,
        EmptyTrace => KnownErrorCode.EmptyTrace,
        IdempotencyKeyReused => KnownErrorCode.IdempotencyKeyReused,
        RateLimited => KnownErrorCode.RateLimited,
        InternalError => KnownErrorCode.InternalError,
        TraceNotCompleted => KnownErrorCode.TraceNotCompleted,
        NotFound or RouteNotFound => KnownErrorCode.NotFound,
        NetworkError => KnownErrorCode.NetworkError,
        Timeout => KnownErrorCode.Timeout,
        InvalidResponse => KnownErrorCode.InvalidResponse,
        MethodNotAllowed => KnownErrorCode.MethodNotAllowed,
        BadRequest => KnownErrorCode.BadRequest,
        RequestTimeout => KnownErrorCode.RequestTimeout,
        SealFailed => KnownErrorCode.SealFailed,
        StoredEntriesInvalid => KnownErrorCode.StoredEntriesInvalid,
        TraceNotEmpty => KnownErrorCode.TraceNotEmpty,
        "invalid_api_key" => KnownErrorCode.InvalidApiKey,

        "rate_limit_exceeded" or "RATE_LIMITED" => KnownErrorCode.RateLimited,
        "not-found" or "resource_not_found" => KnownErrorCode.NotFound,
        "authentication_failed" => KnownErrorCode.Unauthorized,
        "invalid_request" => KnownErrorCode.ValidationError,
        "forbidden" or "permission_denied" => KnownErrorCode.Forbidden,
        "conflict" => KnownErrorCode.Conflict,
        "export_too_large" => KnownErrorCode.ExportTooLarge,
        _ => KnownErrorCode.Unknown,
    };
}
