using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Traces.Client.Diagnostics;
using Traces.Client.Vendors;
using Traces.Client.Vendors.Http;

namespace Traces.Client.Http;

/// <summary>
/// Builds the <see cref="HttpClient"/> of a client constructed without dependency injection — <see cref="TracesClient"/>
/// and every vendor client alike — on the one handler chain (<see cref="TracesHttpPipeline"/>: authentication →
/// resilience → logging → sockets).
/// </summary>
internal static class ClientPipeline
{
    /// <summary>A private service provider that owns the handlers; disposing it releases them.</summary>
    public static (HttpClient Client, IDisposable Owner) CreateStandalone(string name, TracesClientOptions pipelineOptions, ILoggerFactory? loggerFactory)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        TracesHttpPipeline.Configure(services.AddHttpClient(name), _ => pipelineOptions);
        var provider = services.BuildServiceProvider();
        return (TracesHttpPipeline.CreateClient(provider.GetRequiredService<IHttpClientFactory>(), name), provider);
    }

    // metrics: the container's (TracesClientMetrics.For); the process-wide meter when null.
    public static VendorHttpCore CreateCore(HttpClient client, ResolvedVendorOptions options, ILoggerFactory? loggerFactory, TracesClientMetrics? metrics = null) =>
        new(client, options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TracesClient.DiagnosticsName), metrics ?? TracesClientMetrics.Shared);
}
