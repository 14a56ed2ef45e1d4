using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Traces.Client.Errors;
using Traces.Client.Serialization;

namespace Traces.Client.Http;

/// <summary>Builds the one exception family of the client from responses and transport failures.</summary>
internal static class ErrorMapper
{
    private const int MaxRawBodyChars = 64 * 1024;

    public static async Task<TracesApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        string? body = null;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The body could not be read (connection dropped mid-body); the status still tells what happened.
        }

        return FromStatus((int)response.StatusCode, response.ReasonPhrase, body, RequestIdOf(response), RetryAfterOf(response), null, SentRequestIdOf(response));
    }

    /// <summary>The exception for an error status; the request id is the response header's, else the body's, else the one sent.</summary>
    public static TracesApiException FromStatus(int status, string? reason, string? body, string? requestId, TimeSpan? retryAfter, Exception? inner, string? sentRequestId = null)
    {
        var problem = TryParseProblem(body);
        var code = problem?.Code ?? NestedCode(problem);
        requestId ??= problem?.RequestId ?? sentRequestId;
        var what = problem?.Detail ?? MessageOf(problem) ?? problem?.Title ?? reason ?? "The service returned an error.";
        var message = $"{what} (status {status}{(code is null ? string.Empty : $", code {code}")}{(requestId is null ? string.Empty : $", request id {requestId}")})";
        return Create(status, message, code, requestId, problem, Truncate(body), retryAfter, inner);
    }

    /// <summary>
    /// The exception class for a status and code, shared by every client (Traces API and vendors alike): callers branch
    /// on the same subclasses whoever answered.
    /// </summary>
    public static TracesApiException Create(int status, string message, string? code, string? requestId, TracesProblemDetails? problem, string? raw, TimeSpan? retryAfter, Exception? inner)
    {
        var known = TracesErrorCodes.Parse(code);
        if (status == 429 || known == KnownErrorCode.RateLimited)
        {
            return new TracesRateLimitedException(message, status, code ?? TracesErrorCodes.RateLimited, requestId, problem, raw, retryAfter, inner);
        }

        if (status == 404 || known is KnownErrorCode.TraceNotFound or KnownErrorCode.NotFound)
        {
            return new TracesNotFoundException(message, status, code, requestId, problem, raw, inner);
        }

        if (status is 401 or 403)
        {
            return new TracesAuthenticationException(message, status, code, requestId, problem, raw, inner);
        }

        if (status == 409)
        {
            return new TracesConflictException(message, status, code, requestId, problem, raw, inner);
        }

        if (status is 400 or 413 or 422 && known is not (KnownErrorCode.TraceNotSealed or KnownErrorCode.TraceNotCompleted))
        {
            return new TracesValidationException(message, status, code, requestId, problem, raw, inner);
        }

        return new TracesApiException(message, status, code, requestId, problem, raw, inner);
    }

    /// <summary>A 2xx response whose body is not the JSON the contract promises.</summary>
    public static TracesApiException InvalidResponse(HttpResponseMessage response, string? body, Exception? inner) =>
        new(
            $"The service answered {(int)response.StatusCode} with a body that is not the expected JSON{(inner is null ? "." : $": {inner.Message}")}",
            (int)response.StatusCode,
            TracesErrorCodes.InvalidResponse,
            RequestIdOf(response) ?? SentRequestIdOf(response),
            null,
            Truncate(body),
            inner);

    /// <summary>Client-side validation, before anything is sent (status 0, the service's code).</summary>
    public static TracesValidationException ClientValidation(string code, string field, string message)
    {
        var problem = new TracesProblemDetails
        {
            Code = code,
            Title = "Request rejected by client-side validation",
            Detail = message,
            Errors = new Dictionary<string, IReadOnlyList<string>> { [field] = [message] },
        };
        return new TracesValidationException($"{message} (client-side validation, code {code})", 0, code, null, problem, null, null);
    }

    /// <summary>Maps a transport or serialization failure; <c>null</c> when the exception is not one (a programming error).</summary>
    public static TracesApiException? FromException(Exception exception, string? requestId = null)
    {
        switch (exception)
        {
            case TracesApiException already:
                return already;
            case Refit.ApiException api:
                return FromStatus((int)api.StatusCode, api.ReasonPhrase, api.Content, null, null, api);
            case TimeoutRejectedException:
            case OperationCanceledException:
                return new TracesApiException($"The request timed out: {exception.Message}", 0, TracesErrorCodes.Timeout, requestId, null, null, exception);
            case BrokenCircuitException:
                return new TracesApiException($"The circuit breaker is open after repeated failures: {exception.Message}", 0, TracesErrorCodes.NetworkError, requestId, null, null, exception);
            case RateLimiterRejectedException limited:
                return new TracesRateLimitedException($"The client-side concurrency limit rejected the request: {exception.Message}", 0, TracesErrorCodes.RateLimited, requestId, null, null, limited.RetryAfter, exception);
            case HttpRequestException or IOException or SocketException:
                return new TracesApiException($"The request failed before a response arrived: {exception.Message}", 0, TracesErrorCodes.NetworkError, requestId, null, null, exception);
            case JsonException:
                return new TracesApiException($"The response is not the expected JSON: {exception.Message}", 0, TracesErrorCodes.InvalidResponse, requestId, null, null, exception);
            default:
                return null;
        }
    }

    /// <summary>The server's <c>x-request-id</c>, else the one the client sent (the server echoes it).</summary>
    public static string? RequestIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(TracesCallHandler.RequestIdHeader, out var values) ? values.FirstOrDefault() : null;

    private static string? SentRequestIdOf(HttpResponseMessage response) =>
        response.RequestMessage?.Headers.TryGetValues(TracesCallHandler.RequestIdHeader, out var sent) == true ? sent.FirstOrDefault() : null;

    public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static TracesProblemDetails? TryParseProblem(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, TracesClientJsonContext.Default.TracesProblemDetails);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Invoance's text member: {"error": "trace_sealed", "message": "..."} (Invoance SDK errors.ts reads body.message).
    private static string? MessageOf(TracesProblemDetails? problem) =>
        problem?.AdditionalProperties is not null && problem.AdditionalProperties.TryGetValue("message", out var message)
            && message.ValueKind == JsonValueKind.String && message.GetString() is { Length: > 0 } text
            ? text
            : null;

    // Invoance bodies {"error": "trace_sealed", "message": ...} and Novyx-style {"error": {"code": "NOT_FOUND", ...}}.
    private static string? NestedCode(TracesProblemDetails? problem)
    {
        if (problem?.AdditionalProperties is null || !problem.AdditionalProperties.TryGetValue("error", out var error))
        {
            return null;
        }

        return error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object when error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String => code.GetString(),
            _ => null,
        };
    }

    internal static string? Truncate(string? body) =>
        body is null || body.Length <= MaxRawBodyChars ? body : body[..MaxRawBodyChars];
}
