using System.Text.RegularExpressions;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;

namespace Traces.Cli.Tests.Developer;

public sealed partial class ServeCommandTests
{
    [Fact]
    public async Task Serve_AnswersUntilCancelled_ThenExitsZero_WithoutPrintingTheKey()
    {
        const string apiKey = "tk_serve_test_key_never_printed";
        using var temp = new TempDirectory();
        var console = new TestConsole();
        var output = TextWriter.Synchronized(console.OutWriter);
        var synchronized = new SynchronizedConsole(console, output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = TracesCli.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--data", temp.Path, "--api-key", apiKey], synchronized, stop.Token);
        var address = await WaitForAddressAsync(console, output, run);
        using var http = new HttpClient { BaseAddress = address };
        var keys = await http.GetAsync("v1/traces/public-key", TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        var exit = await run;

        Assert.True(keys.IsSuccessStatusCode);
        Assert.Equal(ExitCodes.Valid, exit);
        var text = console.OutWriter.ToString();
        Assert.Contains($"Data directory: {temp.Path}\n", text, StringComparison.Ordinal);
        Assert.Contains("API key (tenant 'default'): the one given with --api-key\n", text, StringComparison.Ordinal);
        Assert.Contains($"Use it from another shell:\n  export TRACES_ENDPOINT={address}\n  export TRACES_API_KEY=<the key given with --api-key>\n",
            text, StringComparison.Ordinal);
        Assert.EndsWith("Stopped.\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(apiKey, text + console.ErrorWriter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithAGeneratedKey_PrintsBothVariablesToExport_KeyByReference()
    {
        using var temp = new TempDirectory();
        var console = new TestConsole();
        var output = TextWriter.Synchronized(console.OutWriter);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = TracesCli.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--data", temp.Path], new SynchronizedConsole(console, output), stop.Token);
        var address = await WaitForAddressAsync(console, output, run);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Valid, await run);

        var text = console.OutWriter.ToString();
        var keyFile = Path.Combine(temp.Path, "api-key");
        Assert.Contains($"  export TRACES_ENDPOINT={address}\n  export TRACES_API_KEY=\"$(cat '{keyFile}')\"\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain((await File.ReadAllTextAsync(keyFile, TestContext.Current.CancellationToken)).Trim(), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_RemoteUrlWithoutAllowRemote_ExitsThree()
    {
        using var temp = new TempDirectory();

        var result = await Tool.RunAsync("serve", "--urls", "http://0.0.0.0:0", "--data", temp.Path);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith("error: The server could not start: Refusing to listen on 'http://0.0.0.0:0'", result.Error, StringComparison.Ordinal);
    }

    private static async Task<Uri> WaitForAddressAsync(TestConsole console, TextWriter output, Task<int> run)
    {
        for (var i = 0; i < 300; i++)
        {
            string text;
            // TextWriter.Synchronized locks the wrapper itself, so this excludes the server's writes.
            lock (output)
            {
                text = console.OutWriter.ToString();
            }

            if (ListeningOn().Match(text) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value);
            }

            Assert.False(run.IsCompleted, $"serve ended early: exit {(run.IsCompleted ? run.Result : -1)}\n{text}\n{console.ErrorWriter}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("serve did not print its address.");
    }

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningOn();

    /// <summary>The test console, with a writer that the server's thread and the test's thread can share.</summary>
    private sealed class SynchronizedConsole(TestConsole inner, TextWriter output) : ICliConsole
    {
        public TextWriter Out => output;

        public TextWriter Error => inner.Error;

        public bool IsOutputTerminal => false;

        public string? GetEnvironmentVariable(string name) => inner.GetEnvironmentVariable(name);
    }
}
