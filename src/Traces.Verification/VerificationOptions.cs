namespace Traces.Verification;

/// <summary>
/// Limits and tuning for a verification. The defaults are safe for untrusted input: every limit turns into a
/// finding (<c>limit_exceeded</c>; nesting beyond <see cref="MaxDepth"/> is reported by the JSON reader as
/// <c>malformed</c>), never an exception or unbounded memory.
/// </summary>
public sealed record VerificationOptions
{
    /// <summary>The defaults.</summary>
    public static VerificationOptions Default { get; } = new();

    /// <summary>Largest bundle read from a stream, in bytes. Default 8 GiB.</summary>
    public long MaxBundleBytes { get; init; } = 8L * 1024 * 1024 * 1024;

    /// <summary>Most entries in one bundle. Default 10,000,000.</summary>
    public long MaxEntries { get; init; } = 10_000_000;

    /// <summary>Largest single entry (its JSON, payload included), in bytes. Default 1 MiB.</summary>
    public int MaxEntryBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// Deepest nesting inside a payload, its own array or object being level 1 (<c>[]</c> counts); every value read
    /// alone (an entry, a member of the bundle) may nest one level more. Default 64 (proof-format §10.5).
    /// </summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most findings listed in a report: the first in report order (proof-format §10.3); the rest are counted. Default 1,000.</summary>
    public int MaxFindings { get; init; } = 1_000;

    /// <summary>Threads checking signatures. Default: one per processor.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Told the number of entries read so far, every few thousand entries (progress bars).</summary>
    public IProgress<long>? Progress { get; init; }
}
