namespace Traces.LocalServer.Errors;

/// <summary>
/// A client-visible failure with a stable code. Handlers throw it; <see cref="ProblemDetailsMiddleware"/> turns it
/// into <c>application/problem+json</c>, so every endpoint reports errors the same way.
/// </summary>
internal sealed class ApiException(int status, string code, string title, string detail,
    IReadOnlyDictionary<string, string[]>? errors = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;

    public static ApiException Validation(string field, string message) =>
        new(400, ErrorCodes.ValidationError, "Validation failed", $"'{field}' {message}.",
            new Dictionary<string, string[]> { [field] = [message] });

    public static ApiException InvalidJson(string detail) =>
        new(400, ErrorCodes.InvalidJson, "Invalid JSON", detail);

    public static ApiException TraceNotFound(string traceId) =>
        new(404, ErrorCodes.TraceNotFound, "Trace not found", $"Trace {traceId} was not found.");

    public static ApiException NotAcceptingEntries(string traceId, string status) => status == Storage.TraceStatus.Sealing
        ? new(409, ErrorCodes.TraceSealing, "Trace is sealing", $"Trace {traceId} is being sealed; no entries can be added.")
        : new(409, ErrorCodes.TraceSealed, "Trace is sealed", $"Trace {traceId} is {status}; no entries can be added.");

    public static ApiException PayloadTooLarge(long limit) =>
        new(413, ErrorCodes.PayloadTooLarge, "Payload too large", $"The request body exceeds {limit} bytes.");
}
