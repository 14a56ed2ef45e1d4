using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Traces.Client.Diagnostics;

namespace Traces.Client.Http;

/// <summary>
/// Innermost handler, once per attempt: logs the request (Debug, with its headers) and the response status
/// (Information) and headers (Trace), header values through the safe list of <see cref="LoggedHeaders"/>; records the
/// status on the current call, and buffers the response body so error mapping can quote it after deserialization fails.
/// </summary>
internal sealed partial class TracesLoggingHandler(ILogger logger, string? apiKey) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = request.Method.Method;
        var path = ClientRequestMessage.PathOf(request);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var headers = request.Content is null ? request.Headers : request.Headers.Concat(request.Content.Headers);
            LogSending(logger, method, path, LoggedHeaders.Format(headers, apiKey));
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
        if (logger.IsEnabled(LogLevel.Trace))
        {
            LogResponseHeaders(logger, method, path, LoggedHeaders.Format(response.Headers.Concat(response.Content.Headers), apiKey));
        }

        // Buffer so the body can be read again (exception factories quote it); a body cut short surfaces here as a
        // transport failure, which the retry strategy treats like any other. A streamed export stays unbuffered.
        if (!ResponseBuffering.IsStreamed(request))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return response;
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
