using System.Diagnostics;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>One run of the standalone server (<c>traces-server</c>) as a child process, to its exit.</summary>
internal sealed record ToolRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs <c>dotnet traces-server.dll <paramref name="args"/></c> and waits (at most 30 s) for it to exit.</summary>
    public static async Task<ToolRun> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "traces-server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120)); // a hang guard, generous for a loaded CI machine
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"traces-server {string.Join(' ', args)} did not exit: {await output}{await error}");
        }

        return new ToolRun(process.ExitCode, (await output).ReplaceLineEndings("\n"), (await error).ReplaceLineEndings("\n"));
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
