using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Traces.Extensions.AI.Content;

/// <summary>
/// The input and output documents of a model call's attestation (docs/ai-recording.md §3): canonical JSON whose
/// <c>messages</c> member carries the content and whose other members say what happened (model call number, tools
/// offered, finish reason, response id, token usage) and are recorded whatever the content policy.
/// </summary>
internal static class AttestationDocuments
{
    public const string MessagesMember = "messages";

    public static string Input(int modelCall, JsonNode messages, ChatOptions? options, string contentPolicy)
    {
        var document = new JsonObject
        {
            ["content_policy"] = contentPolicy,
            ["model_call"] = modelCall,
            [MessagesMember] = messages,
        };
        var tools = options?.Tools?.Select(t => (JsonNode?)JsonValue.Create(t.Name)).ToArray();
        if (tools is { Length: > 0 })
        {
            document["tools"] = new JsonArray(tools);
        }

        return ChatRendering.Canonical(document);
    }

    public static string Output(int modelCall, JsonNode messages, ChatResponse response, string? completion, string contentPolicy)
    {
        var document = new JsonObject
        {
            ["content_policy"] = contentPolicy,
            ["model_call"] = modelCall,
            [MessagesMember] = messages,
        };
        Add(document, "finish_reason", response.FinishReason?.Value);
        Add(document, "response_id", response.ResponseId);
        Add(document, "conversation_id", response.ConversationId);
        Add(document, "completion", completion);
        if (Usage(response.Usage) is { } usage)
        {
            document["usage"] = usage;
        }

        return ChatRendering.Canonical(document);
    }

    /// <summary>
    /// The <see cref="ContentPolicy.HashOnly"/> form of a full document: <c>messages</c> replaced by <c>sha256:</c> +
    /// hex of its canonical JSON text, every other member unchanged.
    /// </summary>
    /// <returns>The recorded document, or <see langword="null"/> when <paramref name="fullDocument"/> is not such a document.</returns>
    public static string? HashMessages(string fullDocument)
    {
        JsonObject? document;
        try
        {
            document = JsonNode.Parse(fullDocument) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        if (document is null || !document.ContainsKey(MessagesMember))
        {
            return null;
        }

        document[MessagesMember] = ContentPolicy.Sha256Of(ChatRendering.Canonical(document[MessagesMember]));
        return ChatRendering.Canonical(document);
    }

    private static JsonObject? Usage(UsageDetails? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var rendered = new JsonObject();
        Add(rendered, "input_tokens", usage.InputTokenCount);
        Add(rendered, "output_tokens", usage.OutputTokenCount);
        Add(rendered, "total_tokens", usage.TotalTokenCount);
        Add(rendered, "cached_input_tokens", usage.CachedInputTokenCount);
        Add(rendered, "reasoning_tokens", usage.ReasoningTokenCount);
        foreach (var (name, count) in usage.AdditionalCounts ?? [])
        {
            rendered[name] = count;
        }

        return rendered.Count == 0 ? null : rendered;
    }

    private static void Add(JsonObject target, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            target[name] = value;
        }
    }

    private static void Add(JsonObject target, string name, long? value)
    {
        if (value is { } v)
        {
            target[name] = v;
        }
    }
}
