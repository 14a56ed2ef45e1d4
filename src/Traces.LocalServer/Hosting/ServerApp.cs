using Traces.LocalServer.Api;
using Traces.LocalServer.Auth;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Idempotency;
using Traces.LocalServer.Infrastructure;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Sealing;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Storage;

namespace Traces.LocalServer.Hosting;

/// <summary>Composes the web application: services, middleware order, endpoints.</summary>
internal static class ServerApp
{
    public const string ApiKeyFileName = "api-key";

    public static WebApplication Build(LocalTracesServerOptions options, string dataDirectory, bool ephemeral, out string apiKey)
    {
        CheckLoopback(options);
        SecureFiles.CreatePrivateDirectory(dataDirectory);
        apiKey = options.ApiKey ?? LoadOrCreateApiKey(dataDirectory);

        var settings = new ServerSettings(dataDirectory, ephemeral, options.DurableWrites ?? !ephemeral,
            options.MaxRequestBodyBytes, options.RateLimitPermits, options.RateLimitWindow, options.SealDelay,
            options.DatabaseBusyTimeoutSeconds);

        // No command-line args and no content root of the caller's: an in-process server must not pick up the host
        // application's appsettings or ASPNETCORE_* URLs.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // A start that fails (an address in use) reaches the caller as the exception StartAsync throws; the host's own
        // "Hosting failed to start" error log would print it a second time, with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);

        var tenants = new List<(string, string)> { (options.DefaultTenantId, apiKey) };
        tenants.AddRange(options.AdditionalApiKeys.Select(pair => (pair.Value, pair.Key)));

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<MonotonicClock>();
        services.AddSingleton(new TenantDirectory(tenants));
        services.AddSingleton(_ => ephemeral
            ? ServerKeys.CreateEphemeral(dataDirectory, options.UniqueCertificateKey)
            : ServerKeys.LoadOrCreate(dataDirectory));
        services.AddSingleton(_ => new SqliteDatabase(dataDirectory, settings.DurableWrites, settings.DatabaseBusyTimeoutSeconds, options.GroupCommit));
        services.AddSingleton<TraceStore>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<EntryService>();
        services.AddSingleton<ResponseRenderer>();
        services.AddSingleton<BundleAssembler>();
        services.AddSingleton<ServerVerification>();
        services.AddSingleton<SealQueue>();
        services.AddHostedService<SealWorker>();
        services.AddRateLimiter(limiter => RateLimiting.Configure(limiter, settings));
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Traces API";
            document.Info.Version = "v1";
            document.Info.Description = "The Traces API v1 (docs/api.md), served by the local reference server.";
            OpenApiSecurity.Describe(document);
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(json =>
        {
            // Source-generated metadata only (trim- and Native AOT-safe): the server's own shapes, then the bundle
            // documents (GET /proof, /certificate, /public-key and their OpenAPI schemas). Both run under these
            // options, so names are snake_case where no [JsonPropertyName] says otherwise.
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ServerJsonContext.Default);
            json.SerializerOptions.TypeInfoResolverChain.Insert(1, Traces.Verification.Bundles.TracesJsonContext.Default);
        });

        var app = builder.Build();
        // Order matters: request id first (every response has one), then problem mapping (wraps everything below),
        // authentication, the per-key rate limit (needs the caller), idempotency (scoped by the caller), endpoints.
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<ProblemDetailsMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<IdempotencyMiddleware>();
        // One document, at a literal path: the default "/openapi/{documentName}.json" answers an unknown name with a
        // text/plain 404 of its own, which would be the one error response that is not problem+json.
        app.MapOpenApi("/openapi/v1.json");
        TraceEndpoints.Map(app);
        IngestEndpoints.Map(app);
        return app;
    }

    /// <summary>
    /// Creates the schema, loads the keys and primes the clock before the first request. A certificate key that is not
    /// on disk yet is generated in the background and awaited only at its first use (<see cref="ServerKeys"/>).
    /// </summary>
    public static async Task InitializeAsync(WebApplication app, CancellationToken ct)
    {
        await app.Services.GetRequiredService<SqliteDatabase>().InitializeAsync(ct);
        _ = app.Services.GetRequiredService<ServerKeys>();
        await app.Services.GetRequiredService<TraceStore>().PrimeClockAsync(ct);
        await app.Services.GetRequiredService<IdempotencyStore>().PurgeExpiredAsync(ct);
    }

    private static string LoadOrCreateApiKey(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, ApiKeyFileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var key = Ids.NewApiKey();
        SecureFiles.WritePrivateFile(path, System.Text.Encoding.ASCII.GetBytes(key));
        return key;
    }

    private static void CheckLoopback(LocalTracesServerOptions options)
    {
        if (options.AllowRemote)
        {
            return;
        }

        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = BindingAddress.Parse(url).Host;
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                throw new InvalidOperationException(
                    $"Refusing to listen on '{url}': the local server binds to loopback only unless remote access is explicitly allowed (--allow-remote).");
            }
        }
    }
}
