using System.CommandLine;
using System.CommandLine.Invocation;
using Traces.Cli.Developer;
using Traces.Cli.Infrastructure;
using Traces.Cli.Verification;

namespace Traces.Cli;

/// <summary>
/// The <c>traces</c> command line: builds the command tree and runs it against an <see cref="ICliConsole"/>, so the
/// program and the tests run exactly the same code (tests capture the writers and read the exit code).
/// </summary>
internal static class TracesCli
{
    public static RootCommand CreateRootCommand(ICliConsole console, CliSettings? settings = null)
    {
        settings ??= CliSettings.Default;
        var root = new RootCommand(
            "traces: verify traces/v1 proof bundles, certificates and inclusion proofs offline under pinned keys, and " +
            "work with traces on a Traces endpoint. " + VerifyCommands.ExitCodeHelp +
            " Endpoint commands: 0 success, 3 unusable input (e.g. no endpoint), 4 the service returned an error or could not be reached." +
            " Any command: 5 a native library the tool needs is missing (an incomplete installation).");
        foreach (var command in VerifyCommands.Create(console, settings))
        {
            root.Add(command);
        }

        foreach (var command in DeveloperCommands.Create(console))
        {
            root.Add(command);
        }

        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (docs/cli.md).</summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="console">Where output goes.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <param name="settings">Tunables (tests).</param>
    /// <param name="handleProcessTermination">Cancel on Ctrl+C / SIGTERM (the real program only; tests run in-process).</param>
    public static async Task<int> RunAsync(string[] args, ICliConsole console, CancellationToken cancellationToken = default,
        CliSettings? settings = null, bool handleProcessTermination = false)
    {
        var parse = CreateRootCommand(console, settings).Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // Bad arguments are unusable input (3), not the library's default 1, which would read as "Invalid".
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            var command = string.Join(' ', parse.CommandResult.Command.Parents.OfType<Command>().Reverse().Skip(1)
                .Select(c => c.Name).Append(parse.CommandResult.Command.Name).Where(n => n != parse.RootCommandResult.Command.Name));
            await console.Error.WriteLineAsync($"Run 'traces {(command.Length == 0 ? "" : command + " ")}--help' for usage.").ConfigureAwait(false);
            return ExitCodes.UnusableInput;
        }

        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = handleProcessTermination ? TimeSpan.FromSeconds(2) : null,
        };

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (NativeLibraryFailure.TryDescribe(e, out var message))
        {
            await console.Error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return ExitCodes.NativeLibraryMissing;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await console.Error.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }
}
