using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using Traces.Client.Diagnostics;

namespace Traces.Client.Http;

/// <summary>
/// Maps <see cref="TracesClientOptions"/> onto the standard resilience handler's retry and attempt-timeout options, run
/// by <see cref="TracesCallHandler"/>: retries limited to requests that are safe to repeat, each attempt bounded by
/// <see cref="TracesClientOptions.AttemptTimeout"/> and by what is left of <see cref="TracesClientOptions.TotalTimeout"/>,
/// and no wait between attempts that would end past the total.
/// </summary>
internal static partial class TracesResilience
{
    internal const string IdempotencyKeyHeader = "Idempotency-Key";

    public static void Configure(HttpStandardResilienceOptions standard, TracesClientOptions options, ILogger logger)
    {
        standard.AttemptTimeout.Timeout = options.AttemptTimeout;

        // Timeouts nest (docs/resilience.md) with one timer per attempt, not a second one per call: an attempt gets
        // AttemptTimeout or what is left of TotalTimeout, whichever is shorter; OnRetry below ends the call when the
        // wait before the next attempt would not end before the total does.
        standard.AttemptTimeout.TimeoutGenerator = args => new ValueTask<TimeSpan>(AttemptBudget(options, CallClock.Elapsed(args.Context)));

        var retry = standard.Retry;
        retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.UseJitter = true;
        retry.Delay = options.RetryDelay;
        retry.MaxDelay = options.MaxRetryDelay;
        retry.ShouldRetryAfterHeader = false;

        var isTransient = retry.ShouldHandle;

        // Asked after every attempt: a success answers at once, without a state machine, a request lookup or the
        // transient check.
        retry.ShouldHandle = args => args.Outcome.Result is { IsSuccessStatusCode: true } ? new ValueTask<bool>(false) : ShouldRetryAsync(args);
        async ValueTask<bool> ShouldRetryAsync(Polly.Retry.RetryPredicateArguments<HttpResponseMessage> args)
        {
            var request = args.Context.GetRequestMessage();
            if (options.MaxRetries == 0 || !IsSafeToRepeat(request, options.HonoursIdempotencyKeys) || !await isTransient(args).ConfigureAwait(false))
            {
                return false;
            }

            // Never retry sooner than the server asked (that only earns another 429), and never wait longer than the
            // caller allowed: a Retry-After beyond MaxRetryDelay or beyond what is left of TotalTimeout ends the call at
            // once with the server's answer (TracesRateLimitedException carrying RetryAfter for a 429), not with a
            // timeout after a pointless wait.
            if (args.Outcome.Result is { } response && ErrorMapper.RetryAfterOf(response) is { } wait)
            {
                var left = options.TotalTimeout - CallClock.Elapsed(args.Context);
                if (wait > options.MaxRetryDelay || wait >= left)
                {
                    LogRetryAfterTooLong(logger, request?.Method.Method ?? "?", (request is null ? "?" : ClientRequestMessage.PathOf(request)), (int)response.StatusCode,
                        wait.TotalSeconds, Math.Min(options.MaxRetryDelay.TotalSeconds, Math.Max(0, left.TotalSeconds)));
                    return false;
                }
            }

            return true;
        }

        // Retry-After is honoured (docs/api.md: 429 rate_limited): ShouldHandle above lets only a wait that fits through.
        // Without it, exponential backoff with jitter.
        retry.DelayGenerator = args => new ValueTask<TimeSpan?>(
            args.Outcome.Result is { } response ? ErrorMapper.RetryAfterOf(response) : null);

        retry.OnRetry = args =>
        {
            var request = args.Context.GetRequestMessage();
            var left = options.TotalTimeout - CallClock.Elapsed(args.Context);
            if (args.RetryDelay >= left)
            {
                // The total would run out during the wait (or has during the attempt): the call times out now, as the
                // standard handler's total timeout would when it fired, instead of sleeping until then.
                args.Outcome.Result?.Dispose();
                LogTotalTimeout(logger, request?.Method.Method ?? "?", request is null ? "?" : ClientRequestMessage.PathOf(request), args.AttemptNumber + 1, options.TotalTimeout.TotalSeconds);
                throw new TimeoutRejectedException($"The call did not complete within the total timeout of '{options.TotalTimeout}'.", options.TotalTimeout);
            }

            CallScope.Of(request)?.RecordRetry();
            var reason = args.Outcome.Result is { } r ? $"status {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown";
            LogRetry(logger, request?.Method.Method ?? "?", (request is null ? "?" : ClientRequestMessage.PathOf(request)), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, reason);
            return default;
        };
    }

    /// <summary>
    /// <see cref="TracesClientOptions.AttemptTimeout"/>, or what is left of <see cref="TracesClientOptions.TotalTimeout"/>
    /// when less (at least a millisecond: Polly reads a zero or negative timeout as "use the default").
    /// </summary>
    internal static TimeSpan AttemptBudget(TracesClientOptions options, TimeSpan elapsed)
    {
        var left = options.TotalTimeout - elapsed;
        return left >= options.AttemptTimeout ? options.AttemptTimeout
            : left > TimeSpan.FromMilliseconds(1) ? left
            : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>
    /// GET, HEAD, OPTIONS, PUT and DELETE are idempotent by definition; a POST only when it carries an
    /// <c>Idempotency-Key</c> and the server honours one, so it replays instead of executing twice (docs/api.md,
    /// Idempotency; docs/vendors.md for the vendors that do not).
    /// </summary>
    internal static bool IsSafeToRepeat(HttpRequestMessage? request, bool honoursIdempotencyKeys = true)
    {
        if (request is null)
        {
            return false;
        }

        var method = request.Method;
        if (method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            || method == HttpMethod.Put || method == HttpMethod.Delete)
        {
            return true;
        }

        return method == HttpMethod.Post && honoursIdempotencyKeys && request.Headers.Contains(IdempotencyKeyHeader);
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Not retrying HTTP {Method} {Path} ({StatusCode}): the server asks to wait {RetryAfterSeconds:0.###} s, more than the {AllowedSeconds:0.###} s allowed (MaxRetryDelay, time left of TotalTimeout)")]
    private static partial void LogRetryAfterTooLong(ILogger logger, string method, string path, int statusCode, double retryAfterSeconds, double allowedSeconds);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Not retrying HTTP {Method} {Path} after attempt {Attempt}: the call's total timeout of {TotalSeconds:0.###} s would run out first")]
    private static partial void LogTotalTimeout(ILogger logger, string method, string path, int attempt, double totalSeconds);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Retrying HTTP {Method} {Path} (retry {Retry}) in {DelayMs:0} ms after {Reason}")]
    private static partial void LogRetry(ILogger logger, string method, string path, int retry, double delayMs, string reason);
}
