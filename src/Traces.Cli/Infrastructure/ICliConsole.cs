namespace Traces.Cli.Infrastructure;

/// <summary>
/// What a command may touch of its surroundings: two writers, whether standard output is a terminal, and the
/// environment. Tests pass fakes and run commands in-process.
/// </summary>
internal interface ICliConsole
{
    /// <summary>Standard output: reports and results.</summary>
    TextWriter Out { get; }

    /// <summary>Standard error: diagnostics for unusable input and failed requests.</summary>
    TextWriter Error { get; }

    /// <summary>True when standard output is an interactive terminal (progress bars are drawn only then).</summary>
    bool IsOutputTerminal { get; }

    /// <summary>Reads an environment variable (<c>TRACES_ENDPOINT</c>, <c>TRACES_API_KEY</c>).</summary>
    string? GetEnvironmentVariable(string name);
}

/// <summary>The process's console.</summary>
internal sealed class SystemConsole : ICliConsole
{
    public static SystemConsole Instance { get; } = new();

    public TextWriter Out => Console.Out;

    public TextWriter Error => Console.Error;

    public bool IsOutputTerminal => !Console.IsOutputRedirected;

    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);
}
