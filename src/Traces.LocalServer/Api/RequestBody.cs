using Microsoft.AspNetCore.Http.Features;
using Traces.LocalServer.Errors;

namespace Traces.LocalServer.Api;

/// <summary>
/// Reads the request body once, within the size limit, and keeps the bytes for the request: the idempotency
/// fingerprint and the endpoint see exactly the same bytes.
/// </summary>
internal static class RequestBody
{
    private const string ItemKey = "traces.body";

    public static async Task<byte[]> ReadAsync(HttpContext context)
    {
        if (context.Items[ItemKey] is byte[] cached)
        {
            return cached;
        }

        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? long.MaxValue;
        if (context.Request.ContentLength > limit)
        {
            throw ApiException.PayloadTooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await ReadChunkAsync(context, chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                throw ApiException.PayloadTooLarge(limit);
            }
        }

        var bytes = buffer.ToArray();
        context.Items[ItemKey] = bytes;
        return bytes;
    }

    private static async ValueTask<int> ReadChunkAsync(HttpContext context, byte[] chunk)
    {
        try
        {
            return await context.Request.Body.ReadAsync(chunk, context.RequestAborted);
        }
        catch (IOException ex) when (ex is not BadHttpRequestException)
        {
            // Kestrel reports most framing errors as BadHttpRequestException, but a chunk size beyond 2^31 as a plain
            // IOException ("Bad chunk size data.", inner OverflowException). Whatever breaks while reading the request
            // body is the request's fault: make it one kind of error for ProblemDetailsMiddleware.
            throw new BadHttpRequestException(ex.Message, StatusCodes.Status400BadRequest, ex);
        }
    }
}
