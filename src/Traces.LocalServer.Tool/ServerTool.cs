using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;

namespace Traces.LocalServer.Tool;

/// <summary>
/// The <c>traces-server</c> command line (docs/local-server.md "Exit codes"): parses the options, starts the server
/// and waits for Ctrl+C. A failure the user can fix is one <c>error:</c> line on standard error and exit code 3, the
/// same line and code as <c>traces serve</c>; never a stack trace.
/// </summary>
internal static class ServerTool
{
    /// <summary>Stopped with Ctrl+C or SIGTERM.</summary>
    public const int Stopped = 0;

    /// <summary>Unusable options, or the server could not start (address in use, data directory in use or unwritable).</summary>
    public const int UnusableInput = 3;

    public const string Usage =
        "traces-server [--urls URL] [--data DIR] [--api-key KEY] [--rate-limit N_PER_SECOND] [--max-body-bytes N] [--allow-remote]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        LocalTracesServerOptions? options;
        try
        {
            options = Parse(args);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            await error.WriteLineAsync("Run 'traces-server --help' for usage.");
            return UnusableInput;
        }

        if (options is null)
        {
            await output.WriteLineAsync(Usage);
            return Stopped;
        }

        LocalTracesServer server;
        try
        {
            server = await LocalTracesServer.StartAsync(options);
        }
        catch (Exception e) when (IsStartFailure(e))
        {
            await error.WriteLineAsync($"error: The server could not start: {e.Message}");
            return UnusableInput;
        }

        await using (server)
        {
            // The only secret ever printed is the default API key, which the user needs to call the server.
            await output.WriteLineAsync($"Traces local server listening on {server.BaseAddress}");
            await output.WriteLineAsync($"Data directory: {server.DataDirectory}");
            await output.WriteLineAsync($"API key (tenant '{server.TenantId}'): {server.ApiKey}");
            await output.FlushAsync();
            await server.WaitForShutdownAsync();
        }

        return Stopped;
    }

    /// <summary>
    /// What <see cref="LocalTracesServer.StartAsync"/> throws for a cause outside the program: refused options, a data
    /// directory that is locked, unwritable or not a Traces one (its database or keys unreadable), an address in use.
    /// <c>traces serve</c> treats the same list the same way.
    /// </summary>
    public static bool IsStartFailure(Exception e) =>
        e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException
            or DbException or CryptographicException;

    /// <summary>The options, or <c>null</c> when help was asked for.</summary>
    /// <exception cref="ArgumentException">An unknown argument, a missing value or a value that is not a number.</exception>
    private static LocalTracesServerOptions? Parse(string[] args)
    {
        var options = new LocalTracesServerOptions { Urls = "http://127.0.0.1:5080", DataDirectory = "./traces-data", MinimumLogLevel = LogLevel.Information };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--urls": options.Urls = Next(); break;
                case "--data": options.DataDirectory = Next(); break;
                case "--api-key": options.ApiKey = Next(); break;
                case "--allow-remote": options.AllowRemote = true; break;
                case "--rate-limit": options.RateLimitPermits = Number(name, Next()); break;
                case "--max-body-bytes": options.MaxRequestBodyBytes = Number(name, Next()); break;
                case "--help" or "-h": return null;
                default: throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        // Test hook for crash tests: delay each seal so a kill can land while the trace is 'sealing'.
        if (int.TryParse(Environment.GetEnvironmentVariable("TRACES_SERVER_TEST_SEAL_DELAY_MS"), out var delayMs))
        {
            options.SealDelay = TimeSpan.FromMilliseconds(delayMs);
        }

        return options;
    }

    private static int Number(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ArgumentException($"{name} expects a positive whole number, got '{value}'.");
}
