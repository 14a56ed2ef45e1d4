using System.CommandLine;
using Traces.Cli.Infrastructure;

namespace Traces.Cli.Developer;

/// <summary>The developer commands, against a Traces endpoint.</summary>
internal static class DeveloperCommands
{
    public static IEnumerable<Command> Create(ICliConsole console)
    {
        yield return ServeCommand.Create(console);
    }
}
