// A support agent with two tools answers a billing question; every step is recorded as it happens by the
// Traces.Extensions.AI middleware (hashes only), the trace is sealed, verified offline, and the private transcript is
// checked against it. `dotnet run --project samples/AgentReasoningTrace [output-directory]`.
using AgentReasoningTrace;
using Traces.Samples;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var outputDirectory = args.Length > 0 ? args[0] : Path.GetTempPath();
var result = await AgentRunner.RunAsync(Console.Out, SampleTarget.FromEnvironment(), outputDirectory, cancel.Token);
return result.ExitCode;
