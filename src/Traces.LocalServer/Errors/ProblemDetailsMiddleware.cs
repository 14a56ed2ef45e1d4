using Microsoft.AspNetCore.Http.Features;

namespace Traces.LocalServer.Errors;

/// <summary>
/// Turns <see cref="ApiException"/>, Kestrel's rejections of a request body (malformed chunked framing → 400
/// <c>bad_request</c>, too slow → 408 <c>request_timeout</c>, too large → 413 <c>payload_too_large</c>) and unexpected
/// faults into problem documents, and gives bare framework status codes (404 for an unknown route, 405 for a wrong
/// method, any other error status set without a body) a problem body too: every error a client sees is problem+json.
/// </summary>
internal sealed class ProblemDetailsMiddleware(RequestDelegate next, ILogger<ProblemDetailsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (ApiException ex) when (!context.Response.HasStarted)
        {
            await ProblemWriter.WriteAsync(context, ex.Status, ex.Code, ex.Title, ex.Message, ex.Errors);
            return;
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // The client's fault, not the server's: a 4xx with the reason, never a 500. Kestrel closes the connection
            // after this answer (the rest of a broken body cannot be framed), so the answer is all the client gets.
            if (context.RequestAborted.IsCancellationRequested)
            {
                return; // the client is gone (a reset or a half-closed connection): nobody to answer
            }

            var status = ex.StatusCode is >= 400 and < 500 ? ex.StatusCode : StatusCodes.Status400BadRequest;
            var (code, title) = HttpProblems.For(status);
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            context.Response.Clear();
            await ProblemWriter.WriteAsync(context, status, code, title, HttpProblems.Detail(ex, limit));
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            logger.LogError(ex, "Unhandled fault on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await ProblemWriter.WriteAsync(context, 500, ErrorCodes.InternalError, "Internal error",
                "The server failed to process the request; it is safe to retry with the same Idempotency-Key.");
            return;
        }

        // Routing misses and method mismatches (and any other framework status) come without a body; give them a problem body.
        var response = context.Response;
        if (!response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null && response.ContentType is null)
        {
            var (code, title) = HttpProblems.For(response.StatusCode);
            var detail = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"No endpoint handles {context.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
                _ => $"The request to {context.Request.Method} {context.Request.Path} could not be processed.",
            };
            await ProblemWriter.WriteAsync(context, response.StatusCode, code, title, detail);
        }
    }
}
