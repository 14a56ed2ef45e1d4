using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Traces.Client;
using Traces.LocalServer;
using Traces.Verification.Trust;

namespace AspNetCoreIntegration;

/// <summary>Which Traces service the app talks to: <see cref="Endpoint"/>, or the embedded server when <c>null</c>.</summary>
public sealed record OrdersTarget(Uri? Endpoint, string? ApiKey)
{
    /// <summary>The embedded local server, whatever the environment says.</summary>
    public static OrdersTarget Embedded { get; } = new(null, null);

    /// <summary>Reads <c>Traces:Endpoint</c> / <c>Traces:ApiKey</c> from the command line, then <c>TRACES_ENDPOINT</c> / <c>TRACES_API_KEY</c>.</summary>
    public static OrdersTarget FromArgs(string[] args)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args.Where(a => a != "--smoke").ToArray()).Build();
        var endpoint = config["Traces:Endpoint"] ?? config[TracesClientOptions.EndpointEnvironmentVariable];
        var apiKey = config["Traces:ApiKey"] ?? config[TracesClientOptions.ApiKeyEnvironmentVariable];
        return string.IsNullOrWhiteSpace(endpoint) ? Embedded : new OrdersTarget(new Uri(endpoint, UriKind.Absolute), apiKey);
    }
}

/// <summary>The running app and, when no endpoint is configured, the local server it records to.</summary>
public sealed class OrdersApp : IAsyncDisposable
{
    private readonly LocalTracesServer? _server;

    private OrdersApp(WebApplication app, LocalTracesServer? server)
    {
        App = app;
        _server = server;
        Addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a.TrimEnd('/') + "/")).ToList();
    }

    public WebApplication App { get; }

    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>Builds and starts the app (on a free loopback port unless <c>--urls</c> says otherwise).</summary>
    public static async Task<OrdersApp> StartAsync(string[] args, OrdersTarget target, LogLevel minimumLogLevel = LogLevel.Information, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        LocalTracesServer? server = target.Endpoint is null
            ? await LocalTracesServer.StartAsync(new LocalTracesServerOptions(), cancellationToken)
            : null;
        try
        {
            var builder = WebApplication.CreateBuilder(args.Where(a => a != "--smoke").ToArray());
            if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            {
                builder.WebHost.UseUrls("http://127.0.0.1:0");
            }

            builder.Logging.SetMinimumLevel(minimumLogLevel);

            // Traces.Client logs one line per attempt and every retry; the factory's and Polly's own lines repeat it.
            builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
            builder.Logging.AddFilter("Polly", LogLevel.Warning);

            // One registration: a singleton TracesClient on IHttpClientFactory, with retries, timeouts and logging.
            builder.Services.AddTracesClient(options =>
            {
                options.Endpoint = server?.BaseAddress ?? target.Endpoint;
                options.ApiKey = server?.ApiKey ?? target.ApiKey;
            });

            builder.Services.AddSingleton(sp => server is not null
                ? PinnedKeys.FromKeys(TrustPolicy.FromPublishedKeys(server.PublicKeys), "the embedded server (in process)")
                : PinnedKeys.FetchedOnce(sp.GetRequiredService<TracesClient>(), sp.GetRequiredService<ILogger<PinnedKeys>>()));
            builder.Services.AddSingleton<SealQueue>();
            builder.Services.AddHostedService<SealingService>();
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

            var app = builder.Build();
            app.MapOrders();
            await app.StartAsync(cancellationToken);
            return new OrdersApp(app, server);
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The app first (its sealing service finishes what it can), then the server it records to.
        await App.StopAsync();
        await App.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
