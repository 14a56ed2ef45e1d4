namespace Traces.Extensions.AI.Recording;

/// <summary>What happens when an entry cannot be written (docs/ai-recording.md §5).</summary>
public enum RecordingFailurePolicy
{
    /// <summary>
    /// The call that produced the entry throws <see cref="TraceRecordingException"/> once the model or tool has
    /// answered; the entry stays queued and is written before anything else.
    /// </summary>
    Throw,

    /// <summary>
    /// The failure is logged and counted (<c>traces.ai.recording.failures</c>), the agent goes on, and the entry stays
    /// queued: it is written, in order, by the next call or by <see cref="TraceRecorder.SealAsync"/>, followed by an
    /// <c>ERROR</c> step saying it was late. An entry that can never be written is replaced by an <c>ERROR</c> step
    /// saying what is missing; a trace whose queue cannot be emptied is not sealed (<see cref="TraceRecorder.SealAsync"/> throws).
    /// </summary>
    LogAndContinue,
}
