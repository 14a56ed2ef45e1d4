using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Traces.Client.Diagnostics;

namespace Traces.Client.Http;

/// <summary>
/// Maps <see cref="TracesClientOptions"/> onto the standard resilience handler's options, run by <see cref="TracesResilienceHandler"/>: total timeout → retry → circuit
/// breaker → attempt timeout, with retries limited to requests that are safe to repeat.
/// </summary>
internal static partial class TracesResilience
{
    internal const string IdempotencyKeyHeader = "Idempotency-Key";

    public static void Configure(HttpStandardResilienceOptions standard, TracesClientOptions options, ILogger logger)
    {
        standard.TotalRequestTimeout.Timeout = options.TotalTimeout;
        standard.AttemptTimeout.Timeout = options.AttemptTimeout;

        // The standard options require the breaker's sampling window to be at least twice the attempt timeout.
        var sampling = options.AttemptTimeout * 2;
        standard.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);

        var retry = standard.Retry;
        retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.UseJitter = true;
        retry.Delay = options.RetryDelay;
        retry.MaxDelay = options.MaxRetryDelay;
        retry.ShouldRetryAfterHeader = false;

        var isTransient = retry.ShouldHandle;
        retry.ShouldHandle = async args =>
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
        };

        // Retry-After is honoured (docs/api.md: 429 rate_limited): ShouldHandle above lets only a wait that fits through.
        // Without it, exponential backoff with jitter.
        retry.DelayGenerator = args => new ValueTask<TimeSpan?>(
            args.Outcome.Result is { } response ? ErrorMapper.RetryAfterOf(response) : null);

        retry.OnRetry = args =>
        {
            CallScope.Current?.RecordRetry();
            var request = args.Context.GetRequestMessage();
            var reason = args.Outcome.Result is { } r ? $"status {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown";
            LogRetry(logger, request?.Method.Method ?? "?", (request is null ? "?" : ClientRequestMessage.PathOf(request)), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, reason);
            return default;
        };
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

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Retrying HTTP {Method} {Path} (retry {Retry}) in {DelayMs:0} ms after {Reason}")]
    private static partial void LogRetry(ILogger logger, string method, string path, int retry, double delayMs, string reason);
}
