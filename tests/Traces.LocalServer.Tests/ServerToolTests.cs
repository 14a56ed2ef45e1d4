using System.Net;
using System.Net.Sockets;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

/// <summary>
/// <c>traces-server</c> as a process: whatever stops it from starting is one <c>error:</c> line on standard error and
/// exit code 3 (as <c>traces serve</c>), with nothing else printed: no stack trace, no host or Kestrel log.
/// </summary>
public sealed class ServerToolTests
{
    [Fact]
    public async Task NonLoopbackUrl_IsOneErrorLine_ExitThree()
    {
        var dir = TestServers.NewTempDirectory();
        try
        {
            var run = await ToolRun.RunAsync("--urls", "http://0.0.0.0:5123", "--data", dir);

            AssertOneErrorLine(run, "error: The server could not start: Refusing to listen on 'http://0.0.0.0:5123': the local server binds " +
                "to loopback only unless remote access is explicitly allowed (--allow-remote).");
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task DataDirectoryInUse_IsOneErrorLine_ExitThree()
    {
        var dir = TestServers.NewDataDirectory();
        try
        {
            await using (await TestServers.StartAsync(configure: null, dir))
            {
                var run = await ToolRun.RunAsync("--urls", "http://127.0.0.1:0", "--data", dir);

                AssertOneErrorLine(run, $"error: The server could not start: The data directory '{dir}' is in use by another Traces " +
                    "server; stop it or choose another --data.");
            }
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task PortInUse_IsOneErrorLine_ExitThree_WithoutHostOrKestrelLogs()
    {
        var dir = TestServers.NewDataDirectory();
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        try
        {
            var run = await ToolRun.RunAsync("--urls", $"http://127.0.0.1:{port}", "--data", dir);

            AssertOneErrorLine(run, $"error: The server could not start: Failed to bind to address http://127.0.0.1:{port}: address already in use.");
        }
        finally
        {
            busy.Stop();
            TestServers.DeleteDirectory(dir);
        }
    }

    [Theory]
    [InlineData("--bogus", "error: Unknown argument '--bogus'.")]
    [InlineData("--urls", "error: --urls needs a value.")]
    [InlineData("--rate-limit|ten", "error: --rate-limit expects a positive whole number, got 'ten'.")]
    [InlineData("--max-body-bytes|-5", "error: --max-body-bytes expects a positive whole number, got '-5'.")]
    public async Task UnusableArguments_AreAnErrorLineAndUsageHint_ExitThree(string args, string message)
    {
        var run = await ToolRun.RunAsync(args.Split('|'));

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Equal(message + "\nRun 'traces-server --help' for usage.\n", run.Error);
        Assert.Equal(string.Empty, run.Out);
    }

    [Fact]
    public async Task Help_PrintsUsage_ExitZero()
    {
        var run = await ToolRun.RunAsync("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("traces-server [--urls URL] [--data DIR] [--api-key KEY] [--rate-limit N_PER_SECOND] [--max-body-bytes N] [--allow-remote]\n", run.Out);
        Assert.Equal(string.Empty, run.Error);
    }

    private static void AssertOneErrorLine(ToolRun run, string line)
    {
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Equal(line + "\n", run.Error);
        Assert.Equal(string.Empty, run.Out);
    }
}
