// A support agent with two tools answers a billing question; every step is recorded as it happens by the
// Traces.Extensions.AI middleware (hashes only), the trace is sealed, verified offline, and the private transcript is
// checked against it. `dotnet run --project samples/AgentReasoningTrace [output-folder]` (the certificate and the
// transcript are kept only in a folder you name; otherwise a temporary folder is used and deleted at the end).
using AgentReasoningTrace;
using Traces.Samples;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var result = await AgentRunner.RunAsync(Console.Out, SampleTarget.FromEnvironment(), args.Length > 0 ? args[0] : null, cancel.Token);
return result.ExitCode;
