// The quickstart: `dotnet run --project samples/Quickstart [output-folder]` (the proof bundle is kept only in a
// folder you name; otherwise a temporary folder is used and deleted at the end).
// With TRACES_ENDPOINT unset it starts the local reference server in this process; with TRACES_ENDPOINT (and
// TRACES_API_KEY) set it runs the same flow against that service.
using Quickstart;
using Traces.Samples;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var result = await QuickstartRunner.RunAsync(Console.Out, SampleTarget.FromEnvironment(), args.Length > 0 ? args[0] : null, cancel.Token);
return result.ExitCode;
