using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.TestSupport;

namespace Traces.Cli.Tests.Infrastructure;

/// <summary>A console whose output is captured, for running the tool in-process.</summary>
internal sealed class TestConsole(bool isOutputTerminal = false, IReadOnlyDictionary<string, string>? environment = null) : ICliConsole
{
    public StringWriter OutWriter { get; } = new() { NewLine = "\n" };

    public StringWriter ErrorWriter { get; } = new() { NewLine = "\n" };

    public TextWriter Out => OutWriter;

    public TextWriter Error => ErrorWriter;

    public bool IsOutputTerminal => isOutputTerminal;

    public string? GetEnvironmentVariable(string name) => environment?.GetValueOrDefault(name);
}

/// <summary>What one run of the tool did.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public IReadOnlyList<string> Codes() =>
        Json().GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()!).Distinct().Order(StringComparer.Ordinal).ToList();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs <c>traces …</c> in-process.</summary>
internal static class Tool
{
    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(new TestConsole(), args);

    public static async Task<CliResult> RunAsync(TestConsole console, params string[] args) =>
        await RunAsync(console, CliSettings.Default, args);

    public static async Task<CliResult> RunAsync(TestConsole console, CliSettings settings, params string[] args)
    {
        var exit = await TracesCli.RunAsync(args, console, TestContext.Current.CancellationToken, settings);
        return new CliResult(exit, console.OutWriter.ToString(), console.ErrorWriter.ToString());
    }

    /// <summary>A file of docs/test-vectors.</summary>
    public static string Vector(string relative) => TestVectors.OwnVector(relative.Split('/'));

    public static string PublicKeys => Vector("public-keys.json");

    public static JsonElement Manifest { get; } = JsonDocument.Parse(File.ReadAllText(Vector("manifest.json"))).RootElement.Clone();

    public static JsonElement Record(string file) =>
        Manifest.GetProperty("files").EnumerateArray().Single(r => r.GetProperty("file").GetString() == file);
}

/// <summary>A temporary directory deleted at the end of a test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("traces-cli-tests-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
