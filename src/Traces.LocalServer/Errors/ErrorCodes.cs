namespace Traces.LocalServer.Errors;

/// <summary>The stable error codes of docs/api.md ("Errors"); clients branch on these strings.</summary>
internal static class ErrorCodes
{
    public const string ValidationError = "validation_error";
    public const string InvalidJson = "invalid_json";
    public const string InvalidLabel = "invalid_label";
    public const string MetadataTooLarge = "metadata_too_large";
    public const string TraceNotSealed = "trace_not_sealed";
    public const string Unauthorized = "unauthorized";
    public const string TraceNotFound = "trace_not_found";
    public const string TraceSealing = "trace_sealing";
    public const string TraceSealed = "trace_sealed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string EmptyTrace = "empty_trace";
    public const string TraceNotEmpty = "trace_not_empty";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string BadRequest = "bad_request";
    public const string RequestTimeout = "request_timeout";

    // Codes of a trace's "error" member when its seal failed for a reason that will not go away (docs/api.md seal).
    public const string SealFailed = "seal_failed";
    public const string StoredEntriesInvalid = "stored_entries_invalid";
}
