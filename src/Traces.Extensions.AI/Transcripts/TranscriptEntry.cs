using System.Text.Json.Serialization;

namespace Traces.Extensions.AI.Transcripts;

/// <summary>
/// One recorded entry in full (docs/ai-recording.md §6): what was said, whatever the record holds (the text, its
/// hash, or its redaction).
/// </summary>
public sealed class TranscriptEntry
{
    /// <summary>The entry's id in the trace (<c>event_id</c>), when the service gave one.</summary>
    [JsonPropertyName("entry_id")]
    public string? EntryId { get; init; }

    /// <summary>The entry's position in the trace, when the service gave one.</summary>
    [JsonPropertyName("index")]
    public long? Index { get; init; }

    /// <summary><c>step</c> or <c>attestation</c>.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The step type (<c>THOUGHT</c>, <c>ACTION</c>, …) of a step.</summary>
    [JsonPropertyName("step_type")]
    public string? StepType { get; init; }

    /// <summary>How the record holds the content: <c>full</c>, <c>sha256</c>, <c>redacted</c>, or <c>none</c> for the recorder's own notices.</summary>
    [JsonPropertyName("content_policy")]
    public required string ContentPolicy { get; init; }

    /// <summary>The full content of a step.</summary>
    [JsonPropertyName("content")]
    public string? Content { get; init; }

    /// <summary>The full input document of an attestation.</summary>
    [JsonPropertyName("input")]
    public string? Input { get; init; }

    /// <summary>The full output document of an attestation.</summary>
    [JsonPropertyName("output")]
    public string? Output { get; init; }

    /// <summary>Entry kind of a step.</summary>
    public const string StepKind = "step";

    /// <summary>Entry kind of an attestation.</summary>
    public const string AttestationKind = "attestation";
}
