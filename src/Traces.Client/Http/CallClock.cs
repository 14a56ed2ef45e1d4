using System.Diagnostics;

namespace Traces.Client.Http;

/// <summary>
/// When the current call started, carried on its request: the authentication handler (outermost, once per call) stamps
/// it, and the retry strategy reads how much of <see cref="TracesClientOptions.TotalTimeout"/> is left.
/// </summary>
internal static class CallClock
{
    private static readonly HttpRequestOptionsKey<long> s_started = new("Traces.CallStarted");

    public static void Start(HttpRequestMessage request)
    {
        if (!request.Options.TryGetValue(s_started, out _))
        {
            request.Options.Set(s_started, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>Time since <see cref="Start"/>; zero for a request that was never stamped.</summary>
    public static TimeSpan Elapsed(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(s_started, out var started) ? Stopwatch.GetElapsedTime(started) : TimeSpan.Zero;
}
