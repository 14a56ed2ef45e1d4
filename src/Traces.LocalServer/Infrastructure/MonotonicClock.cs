using Traces.Verification.Hashing;

namespace Traces.LocalServer.Infrastructure;

/// <summary>
/// Hands out strictly increasing microsecond timestamps, so entries appended in index order also have increasing
/// <c>ingested_at</c> and <c>sealed_at</c> is after the last entry, even if the wall clock steps back or two calls land
/// in the same microsecond.
/// </summary>
internal sealed class MonotonicClock(TimeProvider time)
{
    private readonly Lock _gate = new();
    private long _lastTicks;

    public DateTimeOffset Now()
    {
        var ticks = time.GetUtcNow().UtcTicks;
        ticks -= ticks % 10; // microsecond precision, as stored (proof-format §3)
        lock (_gate)
        {
            if (ticks <= _lastTicks)
            {
                ticks = _lastTicks + 10;
            }

            _lastTicks = ticks;
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>Never issue a timestamp at or before <paramref name="canonical"/> (used with the last stored one after a restart).</summary>
    public void ObserveAtLeast(string canonical)
    {
        if (TraceTimestamp.TryParse(canonical, out var instant))
        {
            lock (_gate)
            {
                _lastTicks = Math.Max(_lastTicks, instant.UtcTicks);
            }
        }
    }

    public string NowCanonical() => TraceTimestamp.ToCanonicalString(Now());
}
