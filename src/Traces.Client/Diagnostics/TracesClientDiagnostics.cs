using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Traces.Client.Diagnostics;

/// <summary>The client's <see cref="ActivitySource"/>, named <c>Traces.Client</c> (one per process, as activities are).</summary>
internal static class TracesClientDiagnostics
{
    public const string Name = "Traces.Client";

    internal static readonly string? Version = typeof(TracesClientDiagnostics).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(Name, Version);
}

/// <summary>
/// The client's <see cref="Meter"/> (named <c>Traces.Client</c>) and its instruments. A client from dependency injection
/// takes its meter from the container's <see cref="IMeterFactory"/>, so its measurements belong to that service
/// provider (<see cref="Instrument.Meter"/>'s <see cref="Meter.Scope"/> is the factory) and a listener can tell them
/// from another provider's; a client constructed without one shares the process-wide <see cref="Shared"/>.
/// </summary>
internal sealed class TracesClientMetrics
{
    /// <summary>The meter of clients constructed without a meter factory.</summary>
    public static readonly TracesClientMetrics Shared = new(new Meter(TracesClientDiagnostics.Name, TracesClientDiagnostics.Version));

    private TracesClientMetrics(Meter meter)
    {
        Meter = meter;
        Calls = meter.CreateCounter<long>("traces.client.calls", "{call}", "Public client calls, tagged with method and outcome.");
        Retries = meter.CreateCounter<long>("traces.client.retries", "{retry}", "HTTP retries made by the resilience pipeline.");
        Duration = meter.CreateHistogram<double>("traces.client.call.duration", "s", "Duration of public client calls, retries included.");
    }

    public Meter Meter { get; }

    public Counter<long> Calls { get; }

    public Counter<long> Retries { get; }

    public Histogram<double> Duration { get; }

    /// <summary>The metrics of a client whose container has <paramref name="factory"/>; <see cref="Shared"/> without one.</summary>
    /// <remarks>The factory hands out one meter per name and version, so every client of one container shares it.</remarks>
    public static TracesClientMetrics For(IMeterFactory? factory) =>
        factory is null ? Shared : new(factory.Create(new MeterOptions(TracesClientDiagnostics.Name) { Version = TracesClientDiagnostics.Version }));
}

/// <summary>
/// One public call: an activity tagged with the trace id, method, status and retry count, and its metrics. Reaches the
/// HTTP pipeline on the request when the call builds its own (<see cref="Http.ClientRequestMessage.Scope"/>), else
/// through an <see cref="AsyncLocal{T}"/> (a Refit call), so the handler and the retry strategy can report into it
/// (<see cref="Of"/>).
/// </summary>
internal sealed class CallScope : IDisposable
{
    private static readonly AsyncLocal<CallScope?> s_current = new();

    private readonly CallScope? _previous;
    private readonly TracesClientMetrics _metrics;
    private readonly Activity? _activity;
    private readonly string _method;
    private readonly long _started;
    private readonly bool _ambient;
    private string _outcome = "ok";
    private int _retryCount;

    private CallScope(TracesClientMetrics metrics, string method, string? traceId, bool ambient)
    {
        _metrics = metrics;
        _method = method;
        _ambient = ambient;

        // The duration is a metric only: no clock read when no meter listener takes it.
        _started = metrics.Duration.Enabled ? Stopwatch.GetTimestamp() : 0;
        _activity = TracesClientDiagnostics.ActivitySource.StartActivity(method, ActivityKind.Client);
        _activity?.SetTag("traces.method", method);
        if (traceId is not null)
        {
            _activity?.SetTag("traces.trace_id", traceId);
        }

        if (ambient)
        {
            _previous = s_current.Value;
            s_current.Value = this;
        }
    }

    public static CallScope? Current => s_current.Value;

    public int? Status { get; private set; }

    /// <summary>The <c>x-request-id</c> the client sent on its last request.</summary>
    public string? RequestId { get; private set; }

    /// <param name="metrics">The client's meter.</param>
    /// <param name="method">The activity name.</param>
    /// <param name="traceId">The trace the call concerns, if any.</param>
    /// <param name="ambient">
    /// Whether the scope becomes <see cref="Current"/> until disposed (start it inside the <c>async</c> method that
    /// disposes it, so the caller's context never sees it); <c>false</c> when every request of the call carries it.
    /// </param>
    public static CallScope Start(TracesClientMetrics metrics, string method, string? traceId, bool ambient = true) => new(metrics, method, traceId, ambient);

    /// <summary>The call <paramref name="request"/> belongs to: the one it carries, else the ambient one.</summary>
    public static CallScope? Of(HttpRequestMessage? request) =>
        request is Http.ClientRequestMessage { Scope: { } scope } ? scope : s_current.Value;

    public void SetTraceId(string? traceId)
    {
        if (traceId is not null)
        {
            _activity?.SetTag("traces.trace_id", traceId);
        }
    }

    public void RecordStatus(int status) => Status = status;

    public void RecordRequestId(string requestId)
    {
        RequestId = requestId;
        _activity?.SetTag("traces.request_id", requestId);
    }

    public void RecordRetry()
    {
        Interlocked.Increment(ref _retryCount);
        _metrics.Retries.Add(1, new KeyValuePair<string, object?>("traces.method", _method));
    }

    public void Fail(Exception exception, string? errorCode)
    {
        _outcome = "error";
        _activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        _activity?.SetTag("error.type", errorCode ?? exception.GetType().FullName);
        _activity?.AddException(exception);
    }

    public void Cancel() => _outcome = "cancelled";

    public void Dispose()
    {
        if (Status is { } status)
        {
            _activity?.SetTag("http.response.status_code", status);
        }

        _activity?.SetTag("traces.retry_count", _retryCount);
        _activity?.Dispose();

        // The tags box the status code: build them only when a meter listener takes the measurements.
        if (_metrics.Calls.Enabled || _metrics.Duration.Enabled)
        {
            var tags = new TagList
            {
                { "traces.method", _method },
                { "traces.outcome", _outcome },
            };
            if (Status is { } s)
            {
                tags.Add("http.response.status_code", s);
            }

            _metrics.Calls.Add(1, tags);
            if (_started != 0)
            {
                _metrics.Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
            }
        }

        if (_ambient)
        {
            s_current.Value = _previous;
        }
    }
}
