namespace Traces.Cli.Infrastructure;

/// <summary>
/// A failure the user can fix (a missing file, a bad key, no endpoint): printed as one line on standard error,
/// no stack trace, and turned into <see cref="ExitCode"/>.
/// </summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.UnusableInput, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
