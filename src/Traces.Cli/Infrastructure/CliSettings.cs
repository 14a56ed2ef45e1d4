namespace Traces.Cli.Infrastructure;

/// <summary>Tunables that tests change (the size from which a progress bar is drawn).</summary>
internal sealed record CliSettings
{
    public static CliSettings Default { get; } = new();

    /// <summary>Bundles at least this large show a progress bar when standard output is a terminal.</summary>
    public long ProgressThresholdBytes { get; init; } = Verification.VerifyCommands.DefaultProgressThresholdBytes;
}
