using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Traces.Client.Diagnostics;

namespace Traces.Client.Http;

/// <summary>
/// Maps <see cref="TracesClientOptions"/> onto the standard resilience handler: total timeout → retry → circuit
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
        retry.ShouldHandle = args =>
            options.MaxRetries > 0 && IsSafeToRepeat(args.Context.GetRequestMessage(), options.HonoursIdempotencyKeys)
                ? isTransient(args)
                : PredicateResult.False();

        // Retry-After is honoured (docs/api.md: 429 rate_limited), bounded by MaxRetryDelay; without it, backoff.
        retry.DelayGenerator = args =>
        {
            if (args.Outcome.Result is { } response && ErrorMapper.RetryAfterOf(response) is { } wait)
            {
                return new ValueTask<TimeSpan?>(wait > options.MaxRetryDelay ? options.MaxRetryDelay : wait);
            }

            return new ValueTask<TimeSpan?>((TimeSpan?)null);
        };

        retry.OnRetry = args =>
        {
            CallScope.Current?.RecordRetry();
            var request = args.Context.GetRequestMessage();
            var reason = args.Outcome.Result is { } r ? $"status {(int)r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "unknown";
            LogRetry(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, reason);
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

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Retrying HTTP {Method} {Path} (retry {Retry}) in {DelayMs:0} ms after {Reason}")]
    private static partial void LogRetry(ILogger logger, string method, string path, int retry, double delayMs, string reason);
}
