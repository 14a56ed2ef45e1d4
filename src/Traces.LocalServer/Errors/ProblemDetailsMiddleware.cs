using Microsoft.AspNetCore.Http.Features;

namespace Traces.LocalServer.Errors;

/// <summary>
/// Turns <see cref="ApiException"/>, Kestrel's body-size rejection and unexpected faults into problem documents,
/// and gives bare framework status codes (404 for an unknown route, 405) a problem body too.
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
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0;
            await ProblemWriter.WriteAsync(context, 413, ErrorCodes.PayloadTooLarge, "Payload too large",
                $"The request body exceeds {limit} bytes.");
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

        // Routing misses and method mismatches produce empty 404/405 responses; give them a problem body.
        if (!context.Response.HasStarted && context.Response.ContentLength is null && context.Response.ContentType is null
            && context.Response.StatusCode is 404 or 405)
        {
            var status = context.Response.StatusCode;
            await ProblemWriter.WriteAsync(context, status, ErrorCodes.NotFound,
                status == 404 ? "Not found" : "Method not allowed",
                $"No endpoint handles {context.Request.Method} {context.Request.Path}.");
        }
    }
}
