namespace Traces.Extensions.AI.Transcripts;

/// <summary>What <see cref="TranscriptVerifier.Check"/> found.</summary>
public sealed class TranscriptCheckResult
{
    internal TranscriptCheckResult(int checkedEntries, IReadOnlyList<TranscriptFinding> findings)
    {
        CheckedEntries = checkedEntries;
        Findings = findings;
    }

    /// <summary>
    /// Every transcript entry was found in the bundle, in order, and gives exactly what the record holds; nothing
    /// was left unchecked (a redacted entry makes this <see langword="false"/>) and nothing between was left out.
    /// Says nothing about the bundle itself: verify it first (<c>BundleVerifier</c>).
    /// </summary>
    public bool IsMatch => Findings.Count == 0;

    /// <summary>How many transcript entries were compared with their recorded form and matched.</summary>
    public int CheckedEntries { get; }

    /// <summary>The disagreements and unchecked entries, in transcript order.</summary>
    public IReadOnlyList<TranscriptFinding> Findings { get; }
}
