using System.Diagnostics.Metrics;
using Traces.Client.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Traces.Client;
using Traces.Client.Http;
using Traces.Client.Vendors;
using Traces.Client.Vendors.Novyx;
using Traces.Client.Vendors.SidClaw;
using Traces.Client.Vendors.StateBase;
using Traces.Client.Vendors.ZenMesh;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the vendor clients on <see cref="IHttpClientFactory"/>, each on a named client with the same handler chain
/// as <see cref="TracesClient"/> (authentication, resilience, logging). Calling one again only adds
/// option configuration.
/// </summary>
public static class VendorClientServiceCollectionExtensions
{
    /// <summary>Registers <see cref="NovyxClient"/> as a singleton.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; unset values fall back to <c>NOVYX_BASE_URL</c> / <c>NOVYX_API_KEY</c>.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddNovyxClient(this IServiceCollection services, Action<NovyxClientOptions>? configure = null) =>
        Add<NovyxClient, NovyxClientOptions>(services, NovyxClient.HttpClientName, configure, TracesAuthHeaderStyle.Bearer,
            (http, options, resolved, logging, metrics) => new NovyxClient(http, resolved, logging, metrics));

    /// <summary>Registers <see cref="SidClawClient"/> as a singleton.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; unset values fall back to <c>SIDCLAW_API_URL</c> / <c>SIDCLAW_API_KEY</c>.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddSidClawClient(this IServiceCollection services, Action<SidClawClientOptions>? configure = null) =>
        Add<SidClawClient, SidClawClientOptions>(services, SidClawClient.HttpClientName, configure, TracesAuthHeaderStyle.Bearer,
            (http, options, resolved, logging, metrics) => new SidClawClient(http, resolved, logging, metrics));

    /// <summary>Registers <see cref="ZenMeshClient"/> as a singleton.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; unset values fall back to <c>ZEN_API_URL</c>, <c>ZEN_API_KEY</c>, <c>ZEN_TENANT_ID</c>.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddZenMeshClient(this IServiceCollection services, Action<ZenMeshClientOptions>? configure = null) =>
        Add<ZenMeshClient, ZenMeshClientOptions>(services, ZenMeshClient.HttpClientName, configure, TracesAuthHeaderStyle.Bearer,
            (http, options, resolved, logging, metrics) => new ZenMeshClient(http, resolved, options.ResolveTenantId(), logging, metrics));

    /// <summary>Registers <see cref="StateBaseClient"/> as a singleton.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options; unset values fall back to <c>STATEBASE_API_URL</c> / <c>STATEBASE_API_KEY</c>.</param>
    /// <returns>The HTTP client builder, to add handlers of your own.</returns>
    public static IHttpClientBuilder AddStateBaseClient(this IServiceCollection services, Action<StateBaseClientOptions>? configure = null) =>
        Add<StateBaseClient, StateBaseClientOptions>(services, StateBaseClient.HttpClientName, configure, TracesAuthHeaderStyle.ApiKeyHeader,
            (http, options, resolved, logging, metrics) => new StateBaseClient(http, resolved, logging, metrics));

    private static IHttpClientBuilder Add<TClient, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        IServiceCollection services,
        string name,
        Action<TOptions>? configure,
        TracesAuthHeaderStyle authStyle,
        Func<HttpClient, TOptions, ResolvedVendorOptions, ILoggerFactory?, TracesClientMetrics, TClient> create)
        where TClient : class
        where TOptions : VendorClientOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<TOptions>(name);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        var builder = services.AddHttpClient(name);
        if (services.Any(d => d.ServiceType == typeof(TClient)))
        {
            return builder;
        }

        TOptions OptionsOf(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
        TracesHttpPipeline.Configure(builder, sp => OptionsOf(sp).Resolve().ToPipelineOptions(authStyle));
        services.TryAddSingleton(sp =>
        {
            var options = OptionsOf(sp);
            return create(TracesHttpPipeline.CreateClient(sp.GetRequiredService<IHttpClientFactory>(), name), options, options.Resolve(), sp.GetService<ILoggerFactory>(),
                // Its container's meter, as TracesClient's (IMeterFactory when the container has one).
                TracesClientMetrics.For(sp.GetService<IMeterFactory>()));
        });
        return builder;
    }
}
