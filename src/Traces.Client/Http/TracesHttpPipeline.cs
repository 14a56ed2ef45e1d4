using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Traces.Client.Http;

/// <summary>
/// The handler chain both construction paths share: the client's one handler (<see cref="TracesCallHandler"/>:
/// authentication → resilience, retry and attempt timeout bounded by the total timeout → per-attempt logging) → the
/// primary handler.
/// </summary>
internal static class TracesHttpPipeline
{
    internal const string LoggerCategory = "Traces.Client";

    private static readonly Lock s_createLock = new();

    /// <summary>
    /// Creates the named client. Building the pipeline validates the resilience options (Polly) with
    /// <c>[Range(typeof(TimeSpan), …)]</c> attributes, whose first use is not thread-safe (dotnet/runtime#1143:
    /// concurrent first validations throw <see cref="InvalidCastException"/>), so creation is serialized.
    /// </summary>
    public static HttpClient CreateClient(IHttpClientFactory factory, string name)
    {
        lock (s_createLock)
        {
            return factory.CreateClient(name);
        }
    }

    public static IHttpClientBuilder Configure(IHttpClientBuilder builder, Func<IServiceProvider, TracesClientOptions> options)
    {
        builder.ConfigureHttpClient((sp, client) =>
        {
            client.BaseAddress = options(sp).Endpoint;

            // The resilience pipeline owns timeouts (TracesClientOptions.TotalTimeout); HttpClient's own would race it.
            client.Timeout = Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.UserAgent.ParseAdd($"Traces.Client/{typeof(TracesHttpPipeline).Assembly.GetName().Version}");
        });
        builder.AddHttpMessageHandler(sp =>
        {
            // The standard handler's options and defaults (docs/resilience.md), run by a pipeline of only the
            // strategies the rules need (TracesCallHandler).
            var resolved = options(sp);
            var logger = LoggerOf(sp);
            var standard = new HttpStandardResilienceOptions();
            TracesResilience.Configure(standard, resolved, logger);
            return new TracesCallHandler(resolved, standard, logger);
        });

        // A TracesClient keeps one HttpClient for its lifetime (it is a singleton in DI), so the factory never rotates
        // handlers; recycling pooled connections instead keeps DNS changes visible.
        builder.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        builder.SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        // IHttpClientFactory's own logging handlers (a scope and a request/response line per call and per attempt)
        // would repeat what TracesCallHandler logs, cost about a quarter of a call's time and 500 bytes
        // (benchmarks/README.md, "A lean call"), and can only redact header values by name: the client's own
        // handler is the one place that logs, header values through the safe list (LoggedHeaders).
        builder.RemoveAllLoggers();
        return builder;
    }

    private static ILogger LoggerOf(IServiceProvider sp) =>
        sp.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? NullLogger.Instance;
}
