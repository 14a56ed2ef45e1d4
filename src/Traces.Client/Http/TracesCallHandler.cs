using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using Traces.Client.Diagnostics;

namespace Traces.Client.Http;

/// <summary>
/// The client's one handler (docs/resilience.md, The pipeline): once per call, authentication and the request id; then
/// the resilience pipeline, retry → attempt timeout (the two strategies of the standard resilience handler that the
/// rules need, with its option types and defaults); and in each attempt the log lines, the status recorded on the call,
/// and the response body buffered.
/// </summary>
/// <remarks>
/// One handler rather than three (authentication → resilience → logging) because each <c>async</c> handler costs a
/// call a frame, a task and a hop through <see cref="DelegatingHandler"/>, and the per-attempt work has a natural home
/// in the resilience pipeline's callback (benchmarks/README.md, "A lean call"). The order of the work is the one the
/// three handlers had: the headers set once before the first attempt, every attempt logged on its own.
/// The first attempt sends the caller's request as it is; a retry sends a copy (same type, method, URI, version,
/// headers, options and buffered content) so the transport sees a request that was never sent.
/// The total timeout is the attempt timeout's bound and the retry's limit on waiting (<see cref="TracesResilience"/>),
/// not a second timer per call; there is no circuit breaker, concurrency limiter, per-call request snapshot or
/// per-execution Polly telemetry: the client reports calls, retries and failures itself (<see cref="CallScope"/>,
/// the log lines here and in <see cref="TracesResilience"/>).
/// </remarks>
internal sealed partial class TracesCallHandler : DelegatingHandler
{
    internal const string ApiKeyHeader = "x-api-key";
    internal const string RequestIdHeader = "x-request-id";

    private readonly TracesClientOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    // Immutable (get-only scheme and parameter), so one instance serves every request of this client.
    private AuthenticationHeaderValue? _bearer;

    public TracesCallHandler(TracesClientOptions options, HttpStandardResilienceOptions standard, ILogger logger)
    {
        _options = options;
        _logger = logger;

        // Outermost first, as the standard handler orders them (docs/resilience.md, The pipeline).
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(standard.Retry)
            .AddTimeout(standard.AttemptTimeout)
            .Build();
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Authenticate(request);
        return SendWithRetriesAsync(request, cancellationToken);
    }

    /// <summary>
    /// Adds the API key as <c>x-api-key</c> or <c>Authorization: Bearer</c> (docs/api.md, Authentication) and a
    /// client-chosen <c>x-request-id</c>, which the server echoes, so even a call that got no response can be
    /// correlated with server logs. Once per call: retries send copies of these headers.
    /// </summary>
    private void Authenticate(HttpRequestMessage request)
    {
        // Credentials or a request id already there (a caller's, or the HttpClient's default headers) are kept.
        // NonValidated: looking a header up this way neither parses nor copies its values (once per call, every call).
        var headers = request.Headers.NonValidated;
        var apiKey = _options.ApiKey;
        if (!string.IsNullOrEmpty(apiKey) && !headers.Contains(ApiKeyHeader) && !headers.Contains("Authorization"))
        {
            if (_options.AuthHeaderStyle == TracesAuthHeaderStyle.Bearer)
            {
                request.Headers.Authorization = _bearer ??= new AuthenticationHeaderValue("Bearer", apiKey);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
            }
        }

        string? requestId = null;
        if (headers.TryGetValues(RequestIdHeader, out var ids))
        {
            foreach (var id in ids)
            {
                requestId = id;
                break;
            }
        }

        if (requestId is null)
        {
            requestId = NewRequestId();
            request.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
        }

        CallScope.Of(request)?.RecordRequestId(requestId);
    }

    /// <summary>
    /// The first attempt, bounded by its own attempt timeout; a success (2xx) is the answer, as the retry strategy
    /// would decide at once (<see cref="TracesResilience"/>: a success is never retried), so the pipeline is entered
    /// only when an attempt failed: it then runs from the first attempt's outcome, which it judges, waits on and
    /// retries as if it had made that attempt itself.
    /// </summary>
    /// <remarks>
    /// Entering the Polly pipeline costs a call about 270 ns of CPU on its successful path (a pooled context, two
    /// strategies' <c>async</c> frames and pooled timer sources, the callback's frame): more than half of the 10 % a
    /// call may add to a hand-written one (benchmarks/README.md, "A lean call"). What every attempt needs, a timer
    /// bounded by the attempt and total timeouts and linked to the caller's token, the first attempt has here too.
    /// </remarks>
    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // As the pipeline does: a call cancelled before it started sends nothing.
        cancellationToken.ThrowIfCancellationRequested();
        var started = Environment.TickCount64;

        // The first attempt under the attempt timeout, as the pipeline's timeout strategy runs one: a timer source
        // linked to the caller's token, and an attempt cancelled by that timer (not by the caller) is a
        // TimeoutRejectedException, which the retry strategy treats as transient.
        var timeout = TracesResilience.AttemptBudget(_options, TimeSpan.Zero);
        var timer = RentTimer();
        timer.CancelAfter(timeout);
        var link = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), timer)
            : default;
        Outcome<HttpResponseMessage> first;
        try
        {
            first = await SendAttemptAsync(request, timer.Token).ConfigureAwait(false);
        }
        finally
        {
            link.Dispose();
        }

        var timedOut = timer.IsCancellationRequested;
        ReturnTimer(timer);
        if (first.Result is { IsSuccessStatusCode: true } answer)
        {
            return answer;
        }

        if (first.Exception is OperationCanceledException cancelled)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                // The caller gave up: the retry strategy would return this outcome as it is.
                first.ThrowIfException();
            }

            if (timedOut)
            {
                // Polly's timeout strategy's exception and message, so a first attempt's timeout reads as a later one's.
                first = Outcome.FromException<HttpResponseMessage>(
                    new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{timeout}'.", timeout, cancelled));
            }
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        CallClock.Start(context, started);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static (context, state) => state.Handler.AttemptAsync(context, state.Request, state.First),
                context,
                (Handler: this, Request: request, First: first)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // One timer source per thread, reused while it was never cancelled (CancellationTokenSource.TryReset), as Polly
    // pools its own: a call then allocates no timer.
    [ThreadStatic]
    private static CancellationTokenSource? t_timer;

    private static CancellationTokenSource RentTimer()
    {
        var timer = t_timer;
        if (timer is null)
        {
            return new CancellationTokenSource();
        }

        t_timer = null;
        return timer;
    }

    private static void ReturnTimer(CancellationTokenSource timer)
    {
        if (timer.TryReset())
        {
            t_timer = timer;
        }
        else
        {
            timer.Dispose();
        }
    }

    /// <summary>An attempt in the pipeline: the first returns the outcome it already had, every later one sends a copy.</summary>
    private ValueTask<Outcome<HttpResponseMessage>> AttemptAsync(ResilienceContext context, HttpRequestMessage first, Outcome<HttpResponseMessage> firstOutcome)
    {
        var sent = context.GetRequestMessage();
        context.SetRequestMessage(sent is null ? first : Copy(sent));
        return sent is null ? new ValueTask<Outcome<HttpResponseMessage>>(firstOutcome) : SendAttemptAsync(context.GetRequestMessage()!, context.CancellationToken);
    }

    /// <summary>
    /// One attempt: logs the request (Debug, with its headers) and the response status (Information) and headers
    /// (Trace), header values through the safe list of <see cref="LoggedHeaders"/>; records the status on the current
    /// call, and buffers the response body so error mapping can quote it after deserialization fails.
    /// </summary>
    private async ValueTask<Outcome<HttpResponseMessage>> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var path = ClientRequestMessage.PathOf(request);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var headers = request.Content is null ? request.Headers : request.Headers.Concat(request.Content.Headers);
            LogSending(_logger, method, path, LoggedHeaders.Format(headers, _options.ApiKey));
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogFailed(_logger, method, path, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name, ex.Message);
            }

            return Outcome.FromException<HttpResponseMessage>(ex);
        }

        CallScope.Of(request)?.RecordStatus((int)response.StatusCode);
        LogReceived(_logger, method, path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            LogResponseHeaders(_logger, method, path, LoggedHeaders.Format(response.Headers.Concat(response.Content.Headers), _options.ApiKey));
        }

        // Buffer so the body can be read again (exception factories quote it); a body cut short surfaces here as a
        // transport failure, which the retry strategy treats like any other. A streamed export stays unbuffered.
        if (!ResponseBuffering.IsStreamed(request))
        {
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                response.Dispose();
                return Outcome.FromException<HttpResponseMessage>(ex);
            }
        }

        return Outcome.FromResult(response);
    }

    /// <summary><c>req_</c> and 32 hex digits of 128 random bits, written into one string.</summary>
    /// <remarks>
    /// A correlation id, neither a secret nor an idempotency key (those are version 7 UUIDs, <see cref="IdempotencyKeys.New"/>), so the bits
    /// come from the thread's generator (<see cref="Random.Shared"/>, seeded from the operating system), not from the
    /// operating system on every call: <see cref="Guid.NewGuid"/> costs about 1.6 µs of CPU where that is a system call
    /// (benchmarks/README.md, "A lean call"), a fifth of a whole call.
    /// </remarks>
    internal static string NewRequestId()
    {
        Span<byte> bits = stackalloc byte[16];
        Random.Shared.NextBytes(bits);
        return string.Create(36, new Guid(bits), static (chars, id) =>
        {
            "req_".CopyTo(chars);
            id.TryFormat(chars[4..], out _, "N");
        });
    }

    /// <summary>
    /// A request for another attempt. Trace-context headers are left out: the transport's diagnostics handler writes
    /// them for each attempt and keeps any it finds, so a copied one would name the previous attempt's span.
    /// </summary>
    private static HttpRequestMessage Copy(HttpRequestMessage sent)
    {
        var copy = sent is ClientRequestMessage own
            ? new ClientRequestMessage(sent.Method, sent.RequestUri, own.LogPath, own.Streamed) { Scope = own.Scope }
            : new HttpRequestMessage(sent.Method, sent.RequestUri);
        copy.Version = sent.Version;
        copy.VersionPolicy = sent.VersionPolicy;
        copy.Content = sent.Content;
        var propagated = DistributedContextPropagator.Current.Fields;
        foreach (var (name, values) in sent.Headers.NonValidated)
        {
            if (!Contains(propagated, name))
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }
        }

        foreach (var (key, value) in sent.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[key] = value;
        }

        return copy;
    }

    private static bool Contains(IReadOnlyCollection<string>? names, string name)
    {
        if (names is null)
        {
            return false;
        }

        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Sending HTTP {Method} {Path} with headers {Headers}")]
    private static partial void LogSending(ILogger logger, string method, string path, string headers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogReceived(ILogger logger, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "HTTP {Method} {Path} failed after {ElapsedMs:0.0} ms: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogFailed(ILogger logger, string method, string path, double elapsedMs, string exceptionType, string exceptionMessage);

    [LoggerMessage(EventId = 4, Level = LogLevel.Trace, Message = "HTTP {Method} {Path} response headers {Headers}")]
    private static partial void LogResponseHeaders(ILogger logger, string method, string path, string headers);
}
