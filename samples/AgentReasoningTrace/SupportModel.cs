using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentReasoningTrace;

/// <summary>
/// A small deterministic stand-in for a model, so the sample runs with no model and no network: it reads the
/// conversation and answers as a tool-using model would, with reasoning, tool calls, and finally text. Everything
/// around it is the real thing (function invocation, recording); swap it for a real provider (see README.md).
/// </summary>
public sealed class SupportModel : IChatClient
{
    public const string ModelId = "support-model-simulator-1";

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var conversation = messages.ToList();
        var results = conversation.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => r.Result);
        var reply = !results.TryGetValue("call_charges", out var charges)
            ? Reply(
                ChatFinishReason.ToolCalls,
                new TextReasoningContent("The customer reports two charges on 2026-03-02; check the billing ledger before answering."),
                new FunctionCallContent("call_charges", "list_charges", new Dictionary<string, object?> { ["customerId"] = "C-1042", ["date"] = "2026-03-02" }))
            : !results.TryGetValue("call_authorization", out var authorization)
                ? Reply(
                    ChatFinishReason.ToolCalls,
                    new TextReasoningContent("Two charges of EUR 49.00; one is an authorization. Check whether it was captured."),
                    new FunctionCallContent("call_authorization", "get_authorization", new Dictionary<string, object?> { ["chargeId"] = AuthorizationId(charges) }))
                : Reply(
                    ChatFinishReason.Stop,
                    new TextContent($"You were charged once. The second line ({AuthorizationId(charges)}) is a card authorization that was never captured ({authorization}); it will drop off your statement."));
        return Task.FromResult(reply);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("sample-simulator", null, ModelId)
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    // The tool's answer comes back as JSON, as it would for a real model.
    private static string AuthorizationId(object? charges) =>
        JsonSerializer.SerializeToElement(charges, AIJsonUtilities.DefaultOptions).EnumerateArray()
            .First(c => c.GetProperty("kind").GetString() == "authorization").GetProperty("chargeId").GetString()!;

    private static ChatResponse Reply(ChatFinishReason finish, params AIContent[] contents)
    {
        var words = contents.Sum(c => c.ToString()?.Split(' ').Length ?? 0);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = ModelId,
            FinishReason = finish,
            Usage = new UsageDetails { InputTokenCount = 180, OutputTokenCount = words, TotalTokenCount = 180 + words },
        };
    }
}
