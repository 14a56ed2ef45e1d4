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

        var limitFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = limitFeature?.MaxRequestBodySize ?? long.MaxValue;
        if (context.Request.ContentLength is { } declared && declared > limit)
        {
            await DrainDeclaredBodyAsync(context, limitFeature, declared, limit);
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

    /// <summary>
    /// A client that declares a body over the limit is usually still sending it: answering 413 at once and closing
    /// makes its write fail (EPIPE/reset) before it reads the answer, so it sees a network error instead of the 413
    /// (RFC 9112 §9.6 asks servers to drain before closing for this reason). Bodies up to four times the limit are
    /// read and discarded first; larger ones are refused at once, as reading them would cost more than the answer is
    /// worth.
    /// </summary>
    private static async Task DrainDeclaredBodyAsync(HttpContext context, IHttpMaxRequestBodySizeFeature? limitFeature, long declared, long limit)
    {
        const int DrainFactor = 4;
        if (declared > limit * DrainFactor || limitFeature is null || limitFeature.IsReadOnly)
        {
            return;
        }

        limitFeature.MaxRequestBodySize = declared;
        var chunk = new byte[16 * 1024];
        try
        {
            while (await ReadChunkAsync(context, chunk) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // The body broke while being discarded: the 413 is still the answer.
        }
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
