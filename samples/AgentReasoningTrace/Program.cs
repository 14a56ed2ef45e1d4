// An AI agent records its reasoning as it works (the Novyx flow), completes the trace and exports a certificate
// that anyone holding the pinned RSA key can check. `dotnet run --project samples/AgentReasoningTrace`.
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
