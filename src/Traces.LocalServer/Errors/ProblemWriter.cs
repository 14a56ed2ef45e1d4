using System.Text.Json;
using Traces.LocalServer.Infrastructure;

namespace Traces.LocalServer.Errors;

/// <summary>Writes RFC 7807 problem documents with the <c>code</c> and <c>request_id</c> extensions and Invoance's <c>error</c>/<c>message</c> of docs/api.md.</summary>
internal static class ProblemWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string code, string title, string detail,
        IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/problem+json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "urn:traces:error:" + code);
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            writer.WriteString("instance", context.Request.Path.Value);
            writer.WriteString("code", code);
            writer.WriteString("request_id", RequestIdMiddleware.Get(context));
            // Invoance's error members (docs/api.md "Errors"): its SDKs read body.error as the code and body.message as
            // the text (Invoance SDK errors.ts / Internal/Errors.cs), and report "unknown" without them.
            writer.WriteString("error", code);
            writer.WriteString("message", detail);
            if (errors is not null)
            {
                writer.WriteStartObject("errors");
                foreach (var (field, messages) in errors)
                {
                    writer.WriteStartArray(field);
                    foreach (var message in messages)
                    {
                        writer.WriteStringValue(message);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }
}
