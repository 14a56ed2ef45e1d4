using System.CommandLine;
using Traces.Cli.Infrastructure;

namespace Traces.Cli.Developer;

/// <summary>
/// The developer commands: <c>list</c>, <c>get</c>, <c>seal</c>, <c>proof</c>, <c>public-key</c> against an endpoint (with
/// Traces.Client), and <c>serve</c>.
/// </summary>
internal static class DeveloperCommands
{
    public static IEnumerable<Command> Create(ICliConsole console)
    {
        foreach (var command in TraceCommands.Create(console))
        {
            yield return command;
        }

        yield return VendorCommands.Export(console);
        yield return ServeCommand.Create(console);
    }
}
