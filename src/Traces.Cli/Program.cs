using System.Text;
using Traces.Cli;
using Traces.Cli.Infrastructure;

// ✓ and ✗ in the human report: make the Windows console speak UTF-8 (a no-op elsewhere).
Console.OutputEncoding = Encoding.UTF8;

// System.CommandLine cancels the command's token on Ctrl+C and SIGTERM (handleProcessTermination).
return await TracesCli.RunAsync(args, SystemConsole.Instance, CancellationToken.None, handleProcessTermination: true);
