using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Traces.Client.Diagnostics;

/// <summary>The client's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>Traces.Client</c>.</summary>
internal static class TracesClientDiagnostics
{
    public const string Name = "Traces.Client";

    private static readonly string? s_version = typeof(TracesClientDiagnostics).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource ActivitySource = new(Name, s_version);

    public static readonly Meter Meter = new(Name, s_version);

    public static readonly Counter<long> Calls = Meter.CreateCounter<long>("traces.client.calls", "{call}", "Public client calls, tagged with method and outcome.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("traces.client.retries", "{retry}", "HTTP retries made by the resilience pipeline.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("traces.client.call.duration", "s", "Duration of public client calls, retries included.");
}

/// <summary>
/// One public call: an activity tagged with the trace id, method, status and retry count, and its metrics. Flows
/// through the HTTP pipeline in an <see cref="AsyncLocal{T}"/> so the retry and logging handlers can report into it.
/// </summary>
internal sealed class CallScope : IDisposable
{
    private static readonly AsyncLocal<CallScope?> s_current = new();

    private readonly CallScope? _previous;
    private readonly Activity? _activity;
    private readonly string _method;
    private readonly long _started = Stopwatch.GetTimestamp();
    private string _outcome = "ok";
    private int _retryCount;

    private CallScope(string method, string? traceId)
    {
        _method = method;
        _previous = s_current.Value;
        _activity = TracesClientDiagnostics.ActivitySource.StartActivity(method, ActivityKind.Client);
        _activity?.SetTag("traces.method", method);
        if (traceId is not null)
        {
            _activity?.SetTag("traces.trace_id", traceId);
        }

        s_current.Value = this;
    }

    public static CallScope? Current => s_current.Value;

    public int? Status { get; private set; }

    /// <summary>The <c>x-request-id</c> the client sent on its last request.</summary>
    public string? RequestId { get; private set; }

    public static CallScope Start(string method, string? traceId) => new(method, traceId);

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
        TracesClientDiagnostics.Retries.Add(1, new KeyValuePair<string, object?>("traces.method", _method));
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
        if (TracesClientDiagnostics.Calls.Enabled || TracesClientDiagnostics.Duration.Enabled)
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

            TracesClientDiagnostics.Calls.Add(1, tags);
            TracesClientDiagnostics.Duration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, tags);
        }

        s_current.Value = _previous;
    }
}
