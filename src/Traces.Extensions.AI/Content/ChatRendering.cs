using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Traces.Verification.Canonicalization;

namespace Traces.Extensions.AI.Content;

/// <summary>
/// Turns chat messages and tool calls into the JSON of docs/ai-recording.md §3, written in RFC 8785 canonical form so
/// that the same conversation always gives the same text, and therefore the same SHA-256, wherever it is rendered.
/// </summary>
internal static class ChatRendering
{
    /// <summary>The messages as a JSON array, each piece of text passed through <paramref name="piece"/>.</summary>
    public static JsonArray Messages(IEnumerable<ChatMessage> messages, Func<RedactionContext, string> piece)
    {
        var array = new JsonArray();
        foreach (var message in messages)
        {
            var role = message.Role.Value;
            var contents = new JsonArray();
            foreach (var content in message.Contents)
            {
                if (Content(content, role, piece) is { } node)
                {
                    contents.Add(node);
                }
            }

            var rendered = new JsonObject { ["role"] = role, ["contents"] = contents };
            if (!string.IsNullOrEmpty(message.AuthorName))
            {
                rendered["author_name"] = message.AuthorName;
            }

            array.Add(rendered);
        }

        return array;
    }

    /// <summary>The content of an <c>ACTION</c> step: <c>{"arguments", "name"}</c> in canonical form.</summary>
    public static string ToolCall(FunctionCallContent call) =>
        Canonical(new JsonObject { ["name"] = call.Name, ["arguments"] = Arguments(call.Arguments) });

    /// <summary>The arguments as canonical JSON text (what a redaction callback sees for a tool call).</summary>
    public static string ArgumentsText(FunctionCallContent call) => Canonical(Arguments(call.Arguments));

    /// <summary>
    /// The content of an <c>OBSERVATION</c> step: a string result as itself, anything else as canonical JSON
    /// (<c>null</c> for a void tool).
    /// </summary>
    public static string ToolResult(object? result) => Value(result) switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        var node => Canonical(node),
    };

    /// <summary>RFC 8785 text of a node; the node's own text if it is not I-JSON (e.g. a lone surrogate in model output).</summary>
    public static string Canonical(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        var result = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(text));
        return result.IsSuccess ? Encoding.UTF8.GetString(result.Utf8Bytes!) : text;
    }

    private static JsonNode? Content(AIContent content, string role, Func<RedactionContext, string> piece)
    {
        switch (content)
        {
            case TextReasoningContent reasoning:
                return new JsonObject { ["type"] = "reasoning", ["text"] = piece(new RedactionContext(ContentKind.Reasoning, reasoning.Text, role, null)) };
            case TextContent text:
                return new JsonObject { ["type"] = "text", ["text"] = piece(new RedactionContext(ContentKind.Text, text.Text, role, null)) };
            case FunctionCallContent call:
                {
                    var arguments = Arguments(call.Arguments);
                    var redacted = piece(new RedactionContext(ContentKind.ToolArguments, Canonical(arguments), role, call.Name));
                    return new JsonObject
                    {
                        ["type"] = "function_call",
                        ["call_id"] = call.CallId,
                        ["name"] = call.Name,
                        ["arguments"] = redacted == Canonical(arguments) ? arguments : redacted,
                    };
                }

            case FunctionResultContent result:
                {
                    var value = Value(result.Result);
                    var text = ToolResult(result.Result);
                    var redacted = piece(new RedactionContext(ContentKind.ToolResult, text, role, null));
                    return new JsonObject
                    {
                        ["type"] = "function_result",
                        ["call_id"] = result.CallId,
                        ["result"] = redacted == text ? value : redacted,
                    };
                }

            case ErrorContent error:
                {
                    var rendered = new JsonObject { ["type"] = "error", ["message"] = piece(new RedactionContext(ContentKind.Error, error.Message, role, null)) };
                    if (!string.IsNullOrEmpty(error.ErrorCode))
                    {
                        rendered["code"] = error.ErrorCode;
                    }

                    return rendered;
                }

            case DataContent data:
                {
                    // The bytes themselves are never recorded (a picture would exceed the entry limit): their
                    // SHA-256 and length identify them, and whoever holds the file can check it.
                    var rendered = new JsonObject
                    {
                        ["type"] = "data",
                        ["media_type"] = data.MediaType,
                        ["length"] = data.Data.Length,
                        ["sha256"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data.Data.Span)),
                    };
                    if (!string.IsNullOrEmpty(data.Name))
                    {
                        rendered["name"] = data.Name;
                    }

                    return rendered;
                }

            case UriContent uri:
                return new JsonObject { ["type"] = "uri", ["uri"] = uri.Uri.ToString(), ["media_type"] = uri.MediaType };
            case UsageContent:
                // Token counts are recorded once per response, in the attestation's "usage".
                return null;
            default:
                return new JsonObject { ["type"] = "other", ["content_type"] = content.GetType().Name };
        }
    }

    private static JsonNode Arguments(IDictionary<string, object?>? arguments)
    {
        var rendered = new JsonObject();
        foreach (var (name, value) in arguments ?? new Dictionary<string, object?>())
        {
            rendered[name] = Value(value);
        }

        return rendered;
    }

    /// <summary>
    /// Any value a tool took or returned, as JSON (with the serializer Microsoft.Extensions.AI itself uses for tool
    /// values); a value that does not serialize, or is not I-JSON, is recorded as its text.
    /// </summary>
    private static JsonNode? Value(object? value)
    {
        if (value is null)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonSerializer.SerializeToNode(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException or ArgumentException)
        {
            return JsonValue.Create(value.ToString() ?? string.Empty);
        }

        if (node is null)
        {
            return null;
        }

        var text = node.ToJsonString();
        return JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(text)).IsSuccess ? node : JsonValue.Create(text);
    }
}
