namespace Traces.Extensions.AI.Content;

/// <summary>One piece of content about to be recorded, handed to a <see cref="ContentPolicy.Redact"/> callback.</summary>
/// <param name="Kind">What the text is.</param>
/// <param name="Text">The text as the agent saw it.</param>
/// <param name="Role">The chat role of the message it belongs to (<c>user</c>, <c>assistant</c>, <c>tool</c>, <c>system</c>), when it belongs to one.</param>
/// <param name="ToolName">The tool, for tool arguments, results and tool errors, when known.</param>
public sealed record RedactionContext(ContentKind Kind, string Text, string? Role, string? ToolName);
