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
            "traces: make, seal and read traces on a Traces endpoint (or the local server 'traces serve' runs), and verify " +
            "traces/v1 proof bundles, certificates and inclusion proofs offline under pinned keys. " + VerifyCommands.ExitCodeHelp +
            " Other commands: 0 success, 3 unusable input (e.g. no endpoint or API key), 4 the service returned an error or could not be reached." +
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

    /// <summary>
    /// The parse errors as <c>error:</c> lines. A mistyped command or option is named once, with the nearest one that
    /// exists; the errors it causes downstream (its value taken for an argument, a required option then missing) are
    /// left out, since they would only repeat it.
    /// </summary>
    private static IEnumerable<string> DescribeErrors(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        if (command is RootCommand root && unmatched.Count > 0 && !unmatched[0].StartsWith('-'))
        {
            var token = unmatched[0];
            var nearest = CommandSuggestions.Nearest(token, root.Subcommands.Select(c => c.Name));
            return [$"error: '{token}' is not a traces command. " +
                (nearest is null ? $"Commands: {string.Join(", ", root.Subcommands.Select(c => c.Name))}." : $"Did you mean 'traces {nearest}'?")];
        }

        var options = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        var unknownOptions = unmatched.Where(t => t.StartsWith("--", StringComparison.Ordinal)).Select(token =>
        {
            var nearest = CommandSuggestions.Nearest(token, options);
            return $"error: '{token}' is not an option of '{CommandPath(command)}'." + (nearest is null ? "" : $" Did you mean '{nearest}'?");
        }).ToList();
        return unknownOptions.Count > 0 ? unknownOptions : parse.Errors.Select(e => $"error: {e.Message}");
    }

    private static string CommandPath(Command command) =>
        string.Join(' ', command.Parents.OfType<Command>().Reverse().Select(c => c is RootCommand ? "traces" : c.Name).Append(command is RootCommand ? "traces" : command.Name));

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
            foreach (var line in DescribeErrors(parse))
            {
                await console.Error.WriteLineAsync(line).ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync($"Run '{CommandPath(parse.CommandResult.Command)} --help' for usage.").ConfigureAwait(false);
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
