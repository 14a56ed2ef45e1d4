using System.CommandLine;
using Traces.Cli.Infrastructure;
using Traces.LocalServer;

namespace Traces.Cli.Developer;

/// <summary><c>traces serve</c>: runs the local reference server (docs/local-server.md) until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(ICliConsole console)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen. Port 0 picks a free port.",
            DefaultValueFactory = _ => "http://127.0.0.1:5080",
        };
        var data = new Option<string>("--data")
        {
            Description = "Data directory: SQLite database, signing keys, generated API key.",
            DefaultValueFactory = _ => "./traces-data",
        };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "The default tenant's API key (default: generated once and kept in <data>/api-key).",
        };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow a non-loopback --urls." };

        var command = new Command("serve",
            "Run the local reference server (the whole Traces API v1 over HTTP, SQLite, real Ed25519 and RSA signing) " +
            "until Ctrl+C. Exit codes: 0 stopped, 3 unusable options or the server could not start (a remote URL without " +
            "--allow-remote, a data directory in use, an address in use).")
        {
            urls, data, apiKey, allowRemote,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new LocalTracesServerOptions
            {
                Urls = parse.GetRequiredValue(urls),
                DataDirectory = parse.GetRequiredValue(data),
                ApiKey = parse.GetValue(apiKey),
                AllowRemote = parse.GetValue(allowRemote),
            };

            LocalTracesServer server;
            try
            {
                server = await LocalTracesServer.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsStartFailure(e))
            {
                throw new CliException($"The server could not start: {e.Message}", inner: e);
            }

            await using (server.ConfigureAwait(false))
            {
                // The key itself is never printed (terminal scrollback and CI logs keep it): say where it is.
                var keySource = options.ApiKey is null
                    ? $"stored in {Path.Combine(server.DataDirectory, "api-key")}"
                    : "the one given with --api-key";
                await console.Out.WriteLineAsync($"Traces local server listening on {server.BaseAddress}").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"Data directory: {server.DataDirectory}").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"API key (tenant '{server.TenantId}'): {keySource}").ConfigureAwait(false);
                // Both variables the endpoint commands read, ready to paste (the key by reference, never its value).
                var keyValue = options.ApiKey is null
                    ? $"\"$(cat {ShellQuote(Path.Combine(server.DataDirectory, "api-key"))})\""
                    : "<the key given with --api-key>";
                await console.Out.WriteLineAsync("Use it from another shell:").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"  export TRACES_ENDPOINT={server.BaseAddress}").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"  export TRACES_API_KEY={keyValue}").ConfigureAwait(false);
                await console.Out.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);
                await console.Out.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C: a normal way to stop.
                }

                await console.Out.WriteLineAsync("Stopped.").ConfigureAwait(false);
            }

            return ExitCodes.Valid;
        });
        return command;
    }

    /// <summary>
    /// What <see cref="LocalTracesServer.StartAsync"/> throws for a cause outside the program: refused options, a data
    /// directory that is locked, unwritable or not a Traces one, an address in use (the same list as the
    /// <c>traces-server</c> tool, so both print the same line and exit 3).
    /// </summary>
    private static bool IsStartFailure(Exception e) =>
        e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException
            or System.Data.Common.DbException or System.Security.Cryptography.CryptographicException;

    /// <summary>A POSIX shell single-quoted word (a quote inside becomes <c>'\''</c>).</summary>
    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
