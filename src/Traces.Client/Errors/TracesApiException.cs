namespace Traces.Client.Errors;

/// <summary>
/// Every failure the Traces client raises: an error response of the service, a response that is not the promised
/// JSON, a network failure or a timeout (then <see cref="Status"/> is 0), and client-side validation that fails
/// before anything is sent (also <see cref="Status"/> 0, with the code the service would have used). Subclasses
/// exist where callers usually branch.
/// </summary>
public class TracesApiException : Exception
{
    /// <summary>Creates an exception with a message only (status 0, no code).</summary>
    /// <param name="message">The message.</param>
    public TracesApiException(string message)
        : this(message, 0, null, null, null, null, null)
    {
    }

    /// <summary>Creates an exception with every detail.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status, or 0 when no response arrived.</param>
    /// <param name="errorCode">The service's (or the client's) error code.</param>
    /// <param name="requestId">The request id (<c>x-request-id</c>).</param>
    /// <param name="problemDetails">The parsed problem body, if any.</param>
    /// <param name="rawBody">The raw response body, if any.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public TracesApiException(
        string message,
        int status,
        string? errorCode,
        string? requestId,
        TracesProblemDetails? problemDetails,
        string? rawBody,
        Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
        ProblemDetails = problemDetails;
        RawBody = rawBody;
    }

    /// <summary>The HTTP status of the response, or 0 when no response arrived (network failure, timeout, client-side validation).</summary>
    public int Status { get; }

    /// <summary>The stable error code (<c>code</c> of the problem body, or a client code such as <c>timeout</c>); <c>null</c> when none was given.</summary>
    public string? ErrorCode { get; }

    /// <summary><see cref="ErrorCode"/> as an enumeration; <see cref="Errors.KnownErrorCode.Unknown"/> for codes the client does not know.</summary>
    public KnownErrorCode KnownErrorCode => TracesErrorCodes.Parse(ErrorCode);

    /// <summary>The request id from <c>x-request-id</c> or the problem body, for support requests.</summary>
    public string? RequestId { get; }

    /// <summary>The RFC 7807 body, when the response carried a parsable one.</summary>
    public TracesProblemDetails? ProblemDetails { get; }

    /// <summary>The raw response body (e.g. an HTML error page or malformed JSON), when one arrived.</summary>
    public string? RawBody { get; }
}

/// <summary><c>404</c>: the trace does not exist for this tenant (<c>trace_not_found</c>, Novyx <c>NOT_FOUND</c>).</summary>
public class TracesNotFoundException : TracesApiException
{
    /// <inheritdoc cref="TracesApiException(string, int, string?, string?, TracesProblemDetails?, string?, Exception?)" />
    public TracesNotFoundException(string message, int status, string? errorCode, string? requestId, TracesProblemDetails? problemDetails, string? rawBody, Exception? innerException)
        : base(message, status, errorCode, requestId, problemDetails, rawBody, innerException)
    {
    }
}

/// <summary><c>409</c>: the trace's state forbids the call (<c>trace_sealed</c>, <c>trace_sealing</c>, <c>trace_not_sealed</c>).</summary>
public class TracesConflictException : TracesApiException
{
    /// <inheritdoc cref="TracesApiException(string, int, string?, string?, TracesProblemDetails?, string?, Exception?)" />
    public TracesConflictException(string message, int status, string? errorCode, string? requestId, TracesProblemDetails? problemDetails, string? rawBody, Exception? innerException)
        : base(message, status, errorCode, requestId, problemDetails, rawBody, innerException)
    {
    }
}

/// <summary>
/// The request was rejected as invalid (<c>400</c>, <c>413</c>, <c>422</c>: <c>validation_error</c>,
/// <c>invalid_label</c>, <c>metadata_too_large</c>, …), or client-side validation failed before sending (status 0).
/// </summary>
public class TracesValidationException : TracesApiException
{
    /// <inheritdoc cref="TracesApiException(string, int, string?, string?, TracesProblemDetails?, string?, Exception?)" />
    public TracesValidationException(string message, int status, string? errorCode, string? requestId, TracesProblemDetails? problemDetails, string? rawBody, Exception? innerException)
        : base(message, status, errorCode, requestId, problemDetails, rawBody, innerException)
    {
    }

    /// <summary>Field → messages, from the problem body's <c>errors</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors =>
        ProblemDetails?.Errors ?? new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary><c>401</c> / <c>403</c>: no API key, or an unknown one (<c>unauthorized</c>).</summary>
public class TracesAuthenticationException : TracesApiException
{
    /// <inheritdoc cref="TracesApiException(string, int, string?, string?, TracesProblemDetails?, string?, Exception?)" />
    public TracesAuthenticationException(string message, int status, string? errorCode, string? requestId, TracesProblemDetails? problemDetails, string? rawBody, Exception? innerException)
        : base(message, status, errorCode, requestId, problemDetails, rawBody, innerException)
    {
    }
}

/// <summary><c>429</c>: the per-key rate limit is exceeded (<c>rate_limited</c>), after the client's own retries.</summary>
public class TracesRateLimitedException : TracesApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="errorCode">The error code.</param>
    /// <param name="requestId">The request id.</param>
    /// <param name="problemDetails">The parsed problem body.</param>
    /// <param name="rawBody">The raw body.</param>
    /// <param name="retryAfter">The server's <c>Retry-After</c>, if given.</param>
    /// <param name="innerException">The underlying exception.</param>
    public TracesRateLimitedException(string message, int status, string? errorCode, string? requestId, TracesProblemDetails? problemDetails, string? rawBody, TimeSpan? retryAfter, Exception? innerException)
        : base(message, status, errorCode, requestId, problemDetails, rawBody, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the server asked to wait (<c>Retry-After</c>), if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
