using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;
using Traces.LocalServer;

namespace Traces.Cli.Tests.Developer;

/// <summary>
/// <c>traces serve</c> that cannot start: one <c>error:</c> line, exit 3, and (checked on a real process, where the
/// server's console logging would land) no stack trace and no host or Kestrel log.
/// </summary>
public sealed class ServeStartFailureTests
{
    [Fact]
    public async Task Serve_PortInUse_AsAProcess_IsOneErrorLine_ExitThree()
    {
        using var temp = new TempDirectory();
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;

        var (exit, output, error) = await RunProcessAsync("serve", "--urls", $"http://127.0.0.1:{port}", "--data", temp.Path);

        Assert.True(exit == ExitCodes.UnusableInput, $"exit {exit}\n{output}\n{error}");
        Assert.Equal($"error: The server could not start: Failed to bind to address http://127.0.0.1:{port}: address already in use.\n", error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public async Task Serve_DataDirectoryInUse_IsOneErrorLine_ExitThree()
    {
        using var temp = new TempDirectory();
        await using var running = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = temp.Path },
            TestContext.Current.CancellationToken);

        var result = await Tool.RunAsync("serve", "--urls", "http://127.0.0.1:0", "--data", temp.Path);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal($"error: The server could not start: The data directory '{temp.Path}' is in use by another Traces server; " +
            "stop it or choose another --data.\n", result.Error);
    }

    /// <summary>Runs <c>dotnet traces.dll …</c> (the CLI is copied next to the tests) and waits for it to exit.</summary>
    private static async Task<(int Exit, string Out, string Error)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "traces.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120)); // a hang guard, not a performance check: generous for a loaded CI machine
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"traces {string.Join(' ', args)} did not exit: {await output}{await error}");
        }

        return (process.ExitCode, (await output).ReplaceLineEndings("\n"), (await error).ReplaceLineEndings("\n"));
    }
}
