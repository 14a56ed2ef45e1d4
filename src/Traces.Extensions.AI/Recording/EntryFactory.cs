using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Traces.Client.Models;
using Traces.Extensions.AI.Content;

namespace Traces.Extensions.AI.Recording;

/// <summary>
/// Turns what a chat client saw into entries, in the order it happened (docs/ai-recording.md §2): each response's
/// reasoning, text, tool calls and errors, and each tool result the first time it is seen. Not thread-safe: the
/// recorder calls it under its lock.
/// </summary>
internal sealed class EntryFactory(ContentPolicy policy, string attestationType)
{
    /// <summary>Content policy name of the recorder's own notices, which carry no content of the conversation.</summary>
    public const string NoticePolicy = "none";

    // Tool calls the model asked for in this trace (call id → tool name), and those whose result is recorded. A
    // result is recorded only for a call recorded here: results in a history older than the trace happened before it.
    private readonly Dictionary<string, string> _toolCalls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _observed = new(StringComparer.Ordinal);

    public ContentPolicy Policy => policy;

    /// <summary>Tool results in <paramref name="messages"/> not recorded yet, as OBSERVATION (or ERROR for a failed tool) steps.</summary>
    public void AddToolResults(IEnumerable<ChatMessage> messages, List<QueuedEntry> entries)
    {
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionResultContent result)
                {
                    AddToolResult(result, entries);
                }
            }
        }
    }

    /// <summary>The model call's attestation, then its steps in the order of the response.</summary>
    public void AddResponse(int modelCall, IReadOnlyList<ChatMessage> request, ChatOptions? options, ChatResponse response, string? provider, string? completion, List<QueuedEntry> entries)
    {
        entries.Add(Attestation(modelCall, request, options, response, provider, completion));
        foreach (var message in response.Messages)
        {
            AddMessageSteps(modelCall, message, entries);
        }
    }

    /// <summary>An ERROR step for an exception the model call (or an agent run) ended with.</summary>
    public QueuedStep Failure(int modelCall, Exception exception, bool cancelled)
    {
        var metadata = new JsonObject
        {
            ["error"] = cancelled ? "cancelled" : "model_call_failed",
            ["exception_type"] = exception.GetType().FullName,
            ["model_call"] = modelCall,
        };
        var text = cancelled ? "The model call was cancelled." : exception.Message;
        return Step(StepType.Error, text, ContentKind.Error, null, null, metadata);
    }

    /// <summary>A step the caller records itself (e.g. a <c>POLICY_CHECK</c>).</summary>
    public QueuedStep Custom(StepType type, string content, JsonObject? metadata) =>
        Step(type, content, type == StepType.Error ? ContentKind.Error : ContentKind.Text, null, null, metadata?.DeepClone().AsObject() ?? []);

    /// <summary>An ERROR step written by the recorder about the record itself: exempt from the content policy.</summary>
    public static QueuedStep Notice(string text, JsonObject metadata)
    {
        metadata["content_policy"] = NoticePolicy;
        return new QueuedStep(StepType.Error, text, metadata, text, NoticePolicy);
    }

    private void AddToolResult(FunctionResultContent result, List<QueuedEntry> entries)
    {
        if (!_toolCalls.TryGetValue(result.CallId, out var tool) || !_observed.Add(result.CallId))
        {
            return;
        }

        var metadata = new JsonObject { ["tool"] = tool, ["call_id"] = result.CallId };
        if (result.Exception is { } exception)
        {
            // What the tool threw; what the model was told instead is in the next attestation's input.
            metadata["error"] = "tool_failed";
            metadata["exception_type"] = exception.GetType().FullName;
            entries.Add(Step(StepType.Error, exception.Message, ContentKind.Error, "tool", tool, metadata));
            return;
        }

        entries.Add(Step(StepType.Observation, ChatRendering.ToolResult(result.Result), ContentKind.ToolResult, "tool", tool, metadata));
    }

    private void AddMessageSteps(int modelCall, ChatMessage message, List<QueuedEntry> entries)
    {
        var role = message.Role.Value;
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        foreach (var content in message.Contents)
        {
            // Adjacent pieces of one kind are one step: a streamed answer arrives in many pieces, and is one answer.
            if (content is TextReasoningContent thought)
            {
                FlushText(modelCall, role, text, entries);
                reasoning.Append(thought.Text);
                continue;
            }

            FlushReasoning(modelCall, role, reasoning, entries);
            if (content is TextContent piece)
            {
                text.Append(piece.Text);
                continue;
            }

            FlushText(modelCall, role, text, entries);
            switch (content)
            {
                case FunctionCallContent call:
                    {
                        _toolCalls[call.CallId] = call.Name;
                        var metadata = new JsonObject { ["tool"] = call.Name, ["call_id"] = call.CallId, ["model_call"] = modelCall };
                        if (call.InformationalOnly)
                        {
                            metadata["informational"] = true;
                        }

                        entries.Add(Step(StepType.Action, ChatRendering.ToolCall(call), ContentKind.ToolArguments, role, call.Name, metadata));
                        break;
                    }

                case FunctionResultContent result:
                    AddToolResult(result, entries);
                    break;
                case ErrorContent error:
                    {
                        var metadata = new JsonObject { ["error"] = "model_error", ["model_call"] = modelCall };
                        if (!string.IsNullOrEmpty(error.ErrorCode))
                        {
                            metadata["code"] = error.ErrorCode;
                        }

                        entries.Add(Step(StepType.Error, error.Message, ContentKind.Error, role, null, metadata));
                        break;
                    }
            }
        }

        FlushReasoning(modelCall, role, reasoning, entries);
        FlushText(modelCall, role, text, entries);
    }

    private void FlushText(int modelCall, string role, StringBuilder text, List<QueuedEntry> entries)
    {
        if (text.Length > 0)
        {
            entries.Add(Step(StepType.Output, text.ToString(), ContentKind.Text, role, null, new JsonObject { ["model_call"] = modelCall }));
            text.Clear();
        }
    }

    private void FlushReasoning(int modelCall, string role, StringBuilder reasoning, List<QueuedEntry> entries)
    {
        if (reasoning.Length > 0)
        {
            entries.Add(Step(StepType.Thought, reasoning.ToString(), ContentKind.Reasoning, role, null, new JsonObject { ["model_call"] = modelCall }));
            reasoning.Clear();
        }
    }

    private QueuedStep Step(StepType type, string content, ContentKind kind, string? role, string? tool, JsonObject metadata)
    {
        metadata["content_policy"] = policy.Name;
        var recorded = policy.Mode switch
        {
            ContentPolicyMode.HashOnly => ContentPolicy.Sha256Of(content),
            ContentPolicyMode.Redacted => policy.RedactPiece(new RedactionContext(kind, content, role, tool)),
            _ => content,
        };
        return new QueuedStep(type, recorded, metadata, content, policy.Name);
    }

    private QueuedAttestation Attestation(int modelCall, IReadOnlyList<ChatMessage> request, ChatOptions? options, ChatResponse response, string? provider, string? completion)
    {
        var fullInput = AttestationDocuments.Input(modelCall, ChatRendering.Messages(request, p => p.Text), options, policy.Name);
        var fullOutput = AttestationDocuments.Output(modelCall, ChatRendering.Messages(response.Messages, p => p.Text), response, completion, policy.Name);
        var (input, output) = policy.Mode switch
        {
            ContentPolicyMode.HashOnly => (AttestationDocuments.HashMessages(fullInput)!, AttestationDocuments.HashMessages(fullOutput)!),
            ContentPolicyMode.Redacted => (
                AttestationDocuments.Input(modelCall, ChatRendering.Messages(request, policy.RedactPiece), options, policy.Name),
                AttestationDocuments.Output(modelCall, ChatRendering.Messages(response.Messages, policy.RedactPiece), response, completion, policy.Name)),
            _ => (fullInput, fullOutput),
        };
        return new QueuedAttestation(attestationType, input, output, provider, response.ModelId, fullInput, fullOutput, policy.Name);
    }
}
