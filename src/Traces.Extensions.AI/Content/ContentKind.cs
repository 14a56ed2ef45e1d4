namespace Traces.Extensions.AI.Content;

/// <summary>What a piece of recorded content is, as told to a <see cref="ContentPolicy.Redact"/> callback.</summary>
public enum ContentKind
{
    /// <summary>Message text: a prompt, an instruction or the model's answer.</summary>
    Text,

    /// <summary>Reasoning text the model reported separately from its answer.</summary>
    Reasoning,

    /// <summary>The arguments of a tool call, as canonical JSON.</summary>
    ToolArguments,

    /// <summary>The result of a tool call: its text, or canonical JSON.</summary>
    ToolResult,

    /// <summary>An error message: a failed tool, a failed or cancelled model call, an error the model reported.</summary>
    Error,
}
