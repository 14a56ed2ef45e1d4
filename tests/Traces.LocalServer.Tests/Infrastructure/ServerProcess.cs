using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>
/// The standalone server as a child process (<c>dotnet traces-server.dll --urls … --data …</c>, the tool), so a test can
/// kill it the hard way. The referenced tool project's dll, deps and runtimeconfig are copied next to the tests.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, string apiKey, int? sealDelayMs = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "traces-server.dll"),
                     "--urls", $"http://127.0.0.1:{port}", "--data", dataDirectory, "--api-key", apiKey,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        if (sealDelayMs is not null)
        {
            start.Environment["TRACES_SERVER_TEST_SEAL_DELAY_MS"] = sealDelayMs.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var process = new Process { StartInfo = start };
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (server._output)
            {
                server._output.Add(e.Data);
            }

            if (e.Data.Contains("listening on", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var started = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
        if (started != ready.Task)
        {
            server.Kill();
            throw new InvalidOperationException("The server process did not start:\n" + server.Output);
        }

        return server;
    }

    /// <summary>Kills the process and its children without any shutdown: what a crash or power cut looks like to the database.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
