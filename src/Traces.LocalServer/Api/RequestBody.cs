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
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
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
}
