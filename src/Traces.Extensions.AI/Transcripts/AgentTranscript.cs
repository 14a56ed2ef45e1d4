using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Extensions.AI.Transcripts;

/// <summary>
/// What a <see cref="Recording.TraceRecorder"/> recorded, in full and in order: keep it (privately, when the record
/// holds only hashes) and disclose it later; <see cref="TranscriptVerifier"/> checks it against the sealed record.
/// </summary>
public sealed class AgentTranscript
{
    /// <summary>The format of <see cref="ToJson"/>.</summary>
    public const string FormatVersion = "traces.ai-transcript/1";

    /// <summary>Always <see cref="FormatVersion"/>.</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = FormatVersion;

    /// <summary>The trace the entries were recorded into.</summary>
    [JsonPropertyName("trace_id")]
    public string? TraceId { get; init; }

    /// <summary>The entries, in the order they were written.</summary>
    [JsonPropertyName("entries")]
    public IReadOnlyList<TranscriptEntry> Entries { get; init; } = [];

    /// <summary>The transcript as UTF-8 JSON.</summary>
    /// <returns>The JSON.</returns>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, TranscriptJsonContext.Default.AgentTranscript);

    /// <summary>Reads a transcript written by <see cref="ToJson"/>.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>The transcript.</returns>
    /// <exception cref="JsonException">Not a transcript of <see cref="FormatVersion"/>.</exception>
    public static AgentTranscript Parse(ReadOnlySpan<byte> utf8Json)
    {
        var transcript = JsonSerializer.Deserialize(utf8Json, TranscriptJsonContext.Default.AgentTranscript)
            ?? throw new JsonException("A transcript must be a JSON object.");
        return transcript.Version == FormatVersion
            ? transcript
            : throw new JsonException($"Unknown transcript version '{transcript.Version}' (expected {FormatVersion}).");
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(AgentTranscript))]
internal sealed partial class TranscriptJsonContext : JsonSerializerContext;
