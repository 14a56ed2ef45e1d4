using System.Text.Json.Nodes;

namespace Traces.Extensions.AI.Recording;

/// <summary>The trace a <see cref="TraceRecorder"/> starts on first use.</summary>
public sealed class TraceStartRequest
{
    /// <summary>A human label (at most 255 characters); defaults to <c>Agent run</c> when neither this nor <see cref="AgentId"/> is set.</summary>
    public string? Label { get; set; }

    /// <summary>The agent whose work the trace records.</summary>
    public string? AgentId { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }

    /// <summary>Tags for filtering.</summary>
    public IList<string>? Tags { get; set; }

    /// <summary>Metadata of the trace.</summary>
    public JsonObject? Metadata { get; set; }
}
