using Traces.Extensions.AI.Content;

namespace Traces.Extensions.AI.Recording;

/// <summary>Options of a <see cref="TraceRecorder"/>.</summary>
public sealed class TraceRecorderOptions
{
    /// <summary>The default <see cref="AttestationType"/>.</summary>
    public const string DefaultAttestationType = "output";

    /// <summary>
    /// An open trace to record into. When <see langword="null"/>, the recorder starts one (<see cref="StartTrace"/>)
    /// on first use.
    /// </summary>
    public string? TraceId { get; set; }

    /// <summary>The trace to start on first use when <see cref="TraceId"/> is not set.</summary>
    public TraceStartRequest? StartTrace { get; set; }

    /// <summary>What goes into the record; <see cref="ContentPolicy.Full"/> by default.</summary>
    public ContentPolicy ContentPolicy { get; set; } = ContentPolicy.Full;

    /// <summary>What a write failure does; <see cref="RecordingFailurePolicy.Throw"/> by default.</summary>
    public RecordingFailurePolicy FailurePolicy { get; set; } = RecordingFailurePolicy.Throw;

    /// <summary>
    /// The <c>type</c> of each model call's attestation; <c>output</c> by default, one of Invoance's attestation types
    /// (<c>output</c>, <c>decision</c>, <c>approval</c>).
    /// </summary>
    public string AttestationType { get; set; } = DefaultAttestationType;

    /// <summary>
    /// How many entries may wait for a failed service before further ones are dropped and replaced by one
    /// <c>ERROR</c> step that counts them; 1,000 by default.
    /// </summary>
    public int MaxPendingEntries { get; set; } = 1000;
}
