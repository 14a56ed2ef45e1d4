using Traces.LocalServer;

// Standalone entry point (also the `traces-server` dotnet tool):
//   dotnet run --project src/Traces.LocalServer.Tool -- --urls http://127.0.0.1:5080 --data ./traces-data
var options = new LocalTracesServerOptions { Urls = "http://127.0.0.1:5080", DataDirectory = "./traces-data", MinimumLogLevel = LogLevel.Information };
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--urls": options.Urls = Next(); break;
        case "--data": options.DataDirectory = Next(); break;
        case "--api-key": options.ApiKey = Next(); break;
        case "--allow-remote": options.AllowRemote = true; break;
        case "--rate-limit": options.RateLimitPermits = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--max-body-bytes": options.MaxRequestBodyBytes = long.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--help" or "-h":
            Console.WriteLine("traces-server [--urls URL] [--data DIR] [--api-key KEY] [--rate-limit N_PER_SECOND] [--max-body-bytes N] [--allow-remote]");
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Try --help.");
            return 2;
    }
}

// Test hook for crash tests: delay each seal so a kill can land while the trace is 'sealing'.
if (int.TryParse(Environment.GetEnvironmentVariable("TRACES_SERVER_TEST_SEAL_DELAY_MS"), out var delayMs))
{
    options.SealDelay = TimeSpan.FromMilliseconds(delayMs);
}

await using var server = await LocalTracesServer.StartAsync(options);
// The only secret ever printed is the default API key, which the user needs to call the server.
Console.WriteLine($"Traces local server listening on {server.BaseAddress}");
Console.WriteLine($"Data directory: {server.DataDirectory}");
Console.WriteLine($"API key (tenant '{server.TenantId}'): {server.ApiKey}");
Console.Out.Flush();
await server.WaitForShutdownAsync();
return 0;
