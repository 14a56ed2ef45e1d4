namespace Traces.Verification.Anchors;

/// <summary>The verdict on a set of checkpoints: one result per distinct checkpoint plus chain-level findings.</summary>
public sealed class NovyxChainResult
{
    internal NovyxChainResult(IReadOnlyList<NovyxCheckpointResult> checkpoints, IReadOnlyList<NovyxFinding> findings, IReadOnlyList<NovyxGap> gaps)
    {
        Checkpoints = checkpoints;
        Findings = findings;
        Gaps = gaps;
    }

    /// <summary>Per-checkpoint results, ordered by id; exact duplicates (such as latest.json) appear once.</summary>
    public IReadOnlyList<NovyxCheckpointResult> Checkpoints { get; }

    /// <summary>Chain-level findings in id order: chain_broken, chain_gap, and malformed documents.</summary>
    public IReadOnlyList<NovyxFinding> Findings { get; }

    /// <summary>The gaps between present checkpoints (also reported as chain_gap findings).</summary>
    public IReadOnlyList<NovyxGap> Gaps { get; }

    /// <summary>True when every checkpoint is valid and no chain-level finding is a failure (gaps are allowed).</summary>
    public bool IsValid => Checkpoints.All(c => c.IsValid) && !Findings.Any(f => f.IsFailure);

    /// <summary>Every finding, per-checkpoint ones first, then chain-level ones.</summary>
    public IEnumerable<NovyxFinding> AllFindings => Checkpoints.SelectMany(c => c.Findings).Concat(Findings);
}
