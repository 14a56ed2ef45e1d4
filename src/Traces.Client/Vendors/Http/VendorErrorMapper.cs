using System.Text.Json;
using Traces.Client.Errors;
using Traces.Client.Http;
using Traces.Client.Serialization;

namespace Traces.Client.Vendors.Http;

/// <summary>
/// Turns a vendor's error response into the client's one exception family, keeping the vendor's body
/// (<see cref="TracesApiException.RawBody"/>, and every member in <see cref="TracesApiException.ProblemDetails"/>).
/// One reader serves the four vendors' shapes, told apart by their members:
/// <list type="bullet">
/// <item>Novyx: <c>{"error": "message", "code": "CODE", "status": n}</c> (novyx-docs errors.md);</item>
/// <item>SidClaw: <c>{"error": "code", "message": "…", "status": n, "request_id": "…", "details"?}</c> (apps/api error-handler.ts);</item>
/// <item>StateBase: <c>{"error": {"code", "message", "type", "param"}}</c> (docs api-reference/introduction.mdx), and
/// FastAPI's <c>{"detail": …}</c> for request validation;</item>
/// <item>Zen-mesh: RFC 7807 <c>{type, title, status, detail, instance}</c>, whose code is the last segment of <c>type</c>.</item>
/// </list>
/// </summary>
internal static class VendorErrorMapper
{
    public static async Task<TracesApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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

        var sentRequestId = response.RequestMessage?.Headers.TryGetValues(TracesCallHandler.RequestIdHeader, out var sent) == true
            ? sent.FirstOrDefault()
            : null;
        return FromStatus((int)response.StatusCode, response.ReasonPhrase, body, ErrorMapper.RequestIdOf(response) ?? sentRequestId, ErrorMapper.RetryAfterOf(response));
    }

    public static TracesApiException FromStatus(int status, string? reason, string? body, string? requestId, TimeSpan? retryAfter)
    {
        var fields = Read(body);
        var problem = fields.Problem;
        var code = fields.Code;
        requestId = fields.RequestId ?? requestId;
        if (problem is not null)
        {
            problem.Code ??= code;
            problem.Detail ??= fields.Message;
            problem.RequestId ??= requestId;
            problem.Status ??= status;
        }

        var what = fields.Message ?? reason ?? "The service returned an error.";
        var message = $"{what} (status {status}{(code is null ? string.Empty : $", code {code}")}{(requestId is null ? string.Empty : $", request id {requestId}")})";
        return ErrorMapper.Create(status, message, code, requestId, problem, ErrorMapper.Truncate(body), retryAfter, null);
    }

    private static ErrorFields Read(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] != '{')
        {
            return default;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return default;
        }

        using (document)
        {
            var root = document.RootElement;
            string? code = StringOf(root, "code");
            string? message = null;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    code ??= StringOf(error, "code");
                    message = StringOf(error, "message");
                }
                else if (error.ValueKind == JsonValueKind.String)
                {
                    // With "code" beside it (Novyx), "error" is the message; with "message" beside it (SidClaw), the code.
                    if (code is null && StringOf(root, "message") is not null)
                    {
                        code = error.GetString();
                    }
                    else
                    {
                        message = error.GetString();
                    }
                }
            }

            message ??= StringOf(root, "message") ?? StringOf(root, "detail") ?? ValidationMessages(root) ?? StringOf(root, "title");
            code ??= CodeOfProblemType(StringOf(root, "type"));
            return new ErrorFields(code, message, StringOf(root, "request_id"), Problem(root));
        }
    }

    private static TracesProblemDetails Problem(JsonElement root)
    {
        try
        {
            var problem = root.Deserialize(TracesClientJsonContext.Default.TracesProblemDetails);
            if (problem is not null)
            {
                return problem;
            }
        }
        catch (JsonException)
        {
            // A member named like an RFC 7807 one but of another type (FastAPI's "detail" array): keep them all as extension members.
        }

        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            members[member.Name] = member.Value.Clone();
        }

        return new TracesProblemDetails { AdditionalProperties = members };
    }

    // FastAPI request validation: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}.
    private static string? ValidationMessages(JsonElement root)
    {
        if (!root.TryGetProperty("detail", out var detail) || detail.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var messages = detail.EnumerateArray().Select(item => StringOf(item, "msg")).OfType<string>().ToList();
        return messages.Count == 0 ? null : string.Join("; ", messages);
    }

    // Zen-mesh: "https://api.zen-mesh.io/errors/not-found" → "not-found"; "about:blank" (RFC 7807 §4.2) names no code.
    private static string? CodeOfProblemType(string? type)
    {
        if (type is null || !Uri.TryCreate(type, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var segment = uri.Segments.LastOrDefault()?.Trim('/');
        return string.IsNullOrEmpty(segment) ? null : segment;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private readonly record struct ErrorFields(string? Code, string? Message, string? RequestId, TracesProblemDetails? Problem);
}
