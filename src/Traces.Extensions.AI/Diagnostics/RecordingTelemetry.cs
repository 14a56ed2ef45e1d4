using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Traces.Extensions.AI.Diagnostics;

/// <summary>The package's meter and log messages (never content: only counts, types, ids and exception types).</summary>
internal static partial class RecordingTelemetry
{
    public const string Name = "Traces.Extensions.AI";

    private static readonly Meter s_meter = new(Name);

    /// <summary>Entries written into a trace.</summary>
    public static readonly Counter<long> EntriesWritten = s_meter.CreateCounter<long>("traces.ai.recording.entries", "{entry}", "Entries written into a trace.");

    /// <summary>Write attempts that failed (the entry stays queued, or is replaced by an ERROR step if it can never be written).</summary>
    public static readonly Counter<long> Failures = s_meter.CreateCounter<long>("traces.ai.recording.failures", "{failure}", "Recording writes that failed.");

    [LoggerMessage(1, LogLevel.Error, "Recording into trace {TraceId} failed; {Pending} entries wait to be written ({ExceptionType}).")]
    public static partial void WriteFailed(ILogger logger, string? traceId, int pending, string exceptionType, Exception exception);

    [LoggerMessage(2, LogLevel.Error, "An entry of trace {TraceId} can never be written ({ExceptionType}); an ERROR step records the gap.")]
    public static partial void EntryUnwritable(ILogger logger, string? traceId, string exceptionType, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Trace {TraceId}: {Dropped} entries dropped because {Limit} were already waiting; an ERROR step records the gap.")]
    public static partial void EntriesDropped(ILogger logger, string? traceId, int dropped, int limit);

    [LoggerMessage(4, LogLevel.Information, "Trace {TraceId}: {Count} delayed entries written after an earlier failure.")]
    public static partial void DelayedWritten(ILogger logger, string? traceId, int count);
}
