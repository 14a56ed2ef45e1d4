using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Traces.Client.Http;

namespace Traces.Client.Vendors.Http;

/// <summary>
/// Builds a vendor client's <see cref="HttpClient"/> on the one pipeline <see cref="TracesClient"/> uses
/// (<see cref="TracesHttpPipeline"/>: authentication → standard resilience handler → logging → sockets), standalone or
/// on <see cref="IHttpClientFactory"/>.
/// </summary>
internal static class VendorPipeline
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

    public static VendorHttpCore CreateCore(HttpClient client, ResolvedVendorOptions options, ILoggerFactory? loggerFactory) =>
        new(client, options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(TracesClient.DiagnosticsName));
}
