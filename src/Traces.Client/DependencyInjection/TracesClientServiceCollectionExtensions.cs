using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traces.Client;
using Traces.Client.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="TracesClient"/> on <see cref="IHttpClientFactory"/>.</summary>
public static class TracesClientServiceCollectionExtensions
{
    /// <summary>The name of the HTTP client and of the <see cref="TracesClientOptions"/> instance.</summary>
    public const string HttpClientName = "Traces.Client";

    /// <summary>
    /// Registers <see cref="TracesClient"/> as a singleton on a named <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/>, with its handler (authentication, resilience and logging: TracesCallHandler). Calling it again
    /// only adds option configuration.
    /// </summary>
    /// <remarks>
    /// The client holds one <see cref="HttpClient"/> for its lifetime; its primary handler recycles pooled
    /// connections every five minutes so DNS changes are picked up. Options are read once, when the client is first
    /// resolved.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; unset endpoint and key fall back to <c>TRACES_ENDPOINT</c> / <c>TRACES_API_KEY</c>.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddTracesClient(this IServiceCollection services, Action<TracesClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<TracesClientOptions>(HttpClientName);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        var builder = services.AddHttpClient(HttpClientName);
        if (services.Any(d => d.ServiceType == typeof(TracesClientMarker)))
        {
            return builder;
        }

        services.AddSingleton<TracesClientMarker>();
        TracesHttpPipeline.Configure(builder, ResolveOptions);
        services.TryAddSingleton(sp => new TracesClient(
            TracesHttpPipeline.CreateClient(sp.GetRequiredService<IHttpClientFactory>(), HttpClientName),
            ResolveOptions(sp),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>(),
            ownedResources: null));
        return builder;
    }

    private sealed class TracesClientMarker;

    private static TracesClientOptions ResolveOptions(IServiceProvider sp) =>
        sp.GetRequiredService<IOptionsMonitor<TracesClientOptions>>().Get(HttpClientName).Resolve();
}
