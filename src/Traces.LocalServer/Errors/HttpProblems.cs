namespace Traces.LocalServer.Errors;

/// <summary>
/// The stable code and title for an HTTP-level failure that no endpoint chose: Kestrel rejecting the request body
/// (<see cref="BadHttpRequestException"/>) or the framework answering with a bare status (no route, wrong method, any
/// other error status it sets without a body). docs/api.md "Errors" lists these codes.
/// </summary>
internal static class HttpProblems
{
    public static (string Code, string Title) For(int status) => status switch
    {
        StatusCodes.Status404NotFound => (ErrorCodes.NotFound, "Not found"),
        StatusCodes.Status405MethodNotAllowed => (ErrorCodes.MethodNotAllowed, "Method not allowed"),
        StatusCodes.Status408RequestTimeout => (ErrorCodes.RequestTimeout, "Request timeout"),
        StatusCodes.Status413PayloadTooLarge => (ErrorCodes.PayloadTooLarge, "Payload too large"),
        >= 500 => (ErrorCodes.InternalError, "Internal error"),
        _ => (ErrorCodes.BadRequest, "Bad request"),
    };

    /// <summary>The detail for a body Kestrel refused. Kestrel's own message names the framing error and holds no request data.</summary>
    public static string Detail(BadHttpRequestException exception, long? maxBodyBytes) => exception.StatusCode switch
    {
        // RFC 9110 §15.5.9: the client did not send the request in time. Kestrel enforces MinRequestBodyDataRate.
        StatusCodes.Status408RequestTimeout =>
            "The request body arrived too slowly (below the server's minimum data rate); send it again without pausing.",
        StatusCodes.Status413PayloadTooLarge => $"The request body exceeds {maxBodyBytes ?? 0} bytes.",
        _ => $"The HTTP request is malformed: {exception.Message}",
    };
}
