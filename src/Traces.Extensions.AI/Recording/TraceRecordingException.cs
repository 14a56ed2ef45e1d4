namespace Traces.Extensions.AI.Recording;

/// <summary>What the agent did could not be written into the trace (or the trace could not be started or sealed).</summary>
public sealed class TraceRecordingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TraceRecordingException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be recorded.</param>
    public TraceRecordingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be recorded.</param>
    /// <param name="innerException">Why.</param>
    public TraceRecordingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The trace, when it had been started.</summary>
    public string? TraceId { get; init; }

    /// <summary>How many entries are still waiting to be written (they are retried by the next call or by sealing).</summary>
    public int PendingEntries { get; init; }
}
