// An AI agent records its reasoning as it works (the Novyx flow), completes the trace and exports a certificate
// that anyone holding the pinned RSA key can check. `dotnet run --project samples/AgentReasoningTrace [output-folder]`
// (the certificate is kept only in a folder you name; otherwise a temporary folder is used and deleted at the end).
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
