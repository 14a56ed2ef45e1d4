using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Traces.Client.Diagnostics;

namespace Traces.Client.Http;

/// <summary>
/// Innermost handler, once per attempt: logs the request (headers with the API key and <c>Authorization</c>
/// redacted) and the response status, records the status on the current call, and buffers the response body so
/// error mapping can quote it after deserialization fails.
/// </summary>
internal sealed partial class TracesLoggingHandler(ILogger logger) : DelegatingHandler
{
    internal const string Redacted = "[REDACTED]";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogSending(logger, method, path, FormatHeaders(request));
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, method, path, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.GetType().Name, ex.Message);
            throw;
        }

        CallScope.Current?.RecordStatus((int)response.StatusCode);
        LogReceived(logger, method, path, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

        // Buffer so the body can be read again (exception factories quote it); a body cut short surfaces here as a
        // transport failure, which the retry strategy treats like any other. A streamed export stays unbuffered.
        if (!ResponseBuffering.IsStreamed(request))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    internal static string FormatHeaders(HttpRequestMessage request)
    {
        var builder = new StringBuilder();
        foreach (var header in request.Headers)
        {
            var value = TracesAuthenticationHandler.IsSensitive(header.Key) ? Redacted : string.Join(",", header.Value);
            builder.Append(header.Key).Append(": ").Append(value).Append("; ");
        }

        return builder.ToString();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Sending HTTP {Method} {Path} with headers {Headers}")]
    private static partial void LogSending(ILogger logger, string method, string path, string headers);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "HTTP {Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogReceived(ILogger logger, string method, string path, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "HTTP {Method} {Path} failed after {ElapsedMs:0.0} ms: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogFailed(ILogger logger, string method, string path, double elapsedMs, string exceptionType, string exceptionMessage);
}
