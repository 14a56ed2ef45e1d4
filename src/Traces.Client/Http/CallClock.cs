using Polly;

namespace Traces.Client.Http;

/// <summary>
/// When the current call started, carried on its resilience context (one per call, retries included): the call's
/// handler stamps it with the time its first attempt started, and the retry strategy reads how much of
/// <see cref="TracesClientOptions.TotalTimeout"/> is left. On the pooled context rather than on the request, so a call
/// does not allocate the request's options dictionary for it.
/// </summary>
internal static class CallClock
{
    private static readonly ResiliencePropertyKey<long> s_started = new("Traces.CallStarted");

    // Milliseconds of Environment.TickCount64: a budget of seconds needs no finer clock, and reading it costs a
    // third of Stopwatch.GetTimestamp (benchmarks/README.md, "A lean call").
    /// <param name="context">The call's context.</param>
    /// <param name="started">When the call's first attempt started (<see cref="Environment.TickCount64"/>).</param>
    public static void Start(ResilienceContext context, long started) => context.Properties.Set(s_started, started);

    /// <summary>Time since <see cref="Start"/>; zero for a context that was never stamped.</summary>
    public static TimeSpan Elapsed(ResilienceContext context) =>
        context.Properties.TryGetValue(s_started, out var started) ? TimeSpan.FromMilliseconds(Environment.TickCount64 - started) : TimeSpan.Zero;
}
