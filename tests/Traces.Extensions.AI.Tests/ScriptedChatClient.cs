using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Traces.Extensions.AI.Tests;

/// <summary>One scripted model turn: a response, an exception, or a wait for cancellation.</summary>
public sealed record ScriptedTurn(ChatResponse? Response = null, Exception? Failure = null, bool WaitForCancellation = false, int FailStreamAfterUpdates = -1)
{
    public static ScriptedTurn Reply(string responseId, params AIContent[] contents) => new(new ChatResponse(new ChatMessage(ChatRole.Assistant, [.. contents]))
    {
        ModelId = ScriptedChatClient.ModelId,
        ResponseId = responseId,
        FinishReason = contents.Any(c => c is FunctionCallContent) ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
    });
}

/// <summary>
/// A chat client that plays a script, turn by turn, as a model would: reasoning, text and tool calls, streamed in
/// pieces when asked to stream. It keeps every request it received, so tests can check what the model was sent.
/// </summary>
public sealed class ScriptedChatClient(params ScriptedTurn[] turns) : IChatClient
{
    public const string ModelId = "scripted-model-1";
    public const string ProviderName = "scripted";

    private readonly Queue<ScriptedTurn> _turns = new(turns);

    public List<List<ChatMessage>> Requests { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var turn = Next(messages);
        if (turn.WaitForCancellation)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (turn.Failure is not null)
        {
            throw turn.Failure;
        }

        return turn.Response!;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var turn = Next(messages);
        if (turn.WaitForCancellation)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (turn.Failure is not null && turn.FailStreamAfterUpdates < 0)
        {
            throw turn.Failure;
        }

        var sent = 0;
        foreach (var update in Updates(turn.Response!))
        {
            if (sent == turn.FailStreamAfterUpdates)
            {
                throw turn.Failure!;
            }

            await Task.Yield();
            sent++;
            yield return update;
        }
    }

    /// <summary>The response as a model streams it: text in small pieces, each other content in an update of its own, usage last.</summary>
    public static IEnumerable<ChatResponseUpdate> Updates(ChatResponse response)
    {
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                IEnumerable<AIContent> pieces = content switch
                {
                    TextReasoningContent r => Chunks(r.Text).Select(t => (AIContent)new TextReasoningContent(t)),
                    TextContent t => Chunks(t.Text).Select(p => (AIContent)new TextContent(p)),
                    _ => [content],
                };
                foreach (var piece in pieces)
                {
                    yield return new ChatResponseUpdate(message.Role, [piece]) { ModelId = response.ModelId, ResponseId = response.ResponseId, MessageId = "msg_1" };
                }
            }
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, response.Usage is null ? [] : [new UsageContent(response.Usage)])
        {
            ModelId = response.ModelId,
            ResponseId = response.ResponseId,
            MessageId = "msg_1",
            FinishReason = response.FinishReason,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata(ProviderName, new Uri("http://localhost/scripted"), ModelId)
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private ScriptedTurn Next(IEnumerable<ChatMessage> messages)
    {
        lock (_turns) // concurrent calls (ChatClientRecordingTests) each take a turn of their own
        {
            Requests.Add([.. messages]);
            return _turns.TryDequeue(out var turn) ? turn : throw new InvalidOperationException($"The script has no turn {Requests.Count}.");
        }
    }

    private static IEnumerable<string> Chunks(string text)
    {
        for (var i = 0; i < text.Length; i += 7)
        {
            yield return text.Substring(i, Math.Min(7, text.Length - i));
        }
    }
}
