using System.CommandLine;
using Traces.Cli.Infrastructure;

namespace Traces.Cli.Developer;

/// <summary>
/// The developer commands against an endpoint (with Traces.Client): <c>create</c>, <c>step</c>, <c>event</c>,
/// <c>document</c>, <c>attest</c>, <c>list</c>, <c>get</c>, <c>seal</c>, <c>proof</c>, <c>public-key</c>, <c>show</c>; and <c>serve</c>.
/// </summary>
internal static class DeveloperCommands
{
    public static IEnumerable<Command> Create(ICliConsole console)
    {
        foreach (var command in AuthoringCommands.Create(console))
        {
            yield return command;
        }

        foreach (var command in TraceCommands.Create(console))
        {
            yield return command;
        }

        yield return ShowCommand.Create(console);
        yield return VendorCommands.Export(console);
        yield return ServeCommand.Create(console);
    }
}
