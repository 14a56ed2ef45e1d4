namespace Traces.Verification.Reports;

/// <summary>
/// What a verification found: the verdict, every finding with its location, and the values the verifier
/// recomputed. Built by the verifiers; never an exception for bad input.
/// </summary>
public sealed class VerificationReport
{
    internal VerificationReport(
        Verdict verdict,
        IReadOnlyList<Finding> findings,
        long findingCount,
        string? traceId,
        long entryCount,
        string? compositeHash,
        string? integrityRootHash,
        EntryReference? firstInvalidEntry,
        long withheldPayloads,
        IReadOnlyList<string> trustedKeyIds,
        IReadOnlyList<CheckOutcome> checks,
        IReadOnlyDictionary<string, long> codeCounts)
    {
        Verdict = verdict;
        Findings = findings;
        FindingCount = findingCount;
        TraceId = traceId;
        EntryCount = entryCount;
        CompositeHash = compositeHash;
        IntegrityRootHash = integrityRootHash;
        FirstInvalidEntry = firstInvalidEntry;
        WithheldPayloads = withheldPayloads;
        TrustedKeyIds = trustedKeyIds;
        Checks = checks;
        _codeCounts = codeCounts;
    }

    private readonly IReadOnlyDictionary<string, long> _codeCounts;

    /// <summary>The verdict.</summary>
    public Verdict Verdict { get; }

    /// <summary>True only for <see cref="Verdict.Valid"/>.</summary>
    public bool IsValid => Verdict == Verdict.Valid;

    /// <summary>The findings, ordered by entry index (document-level findings last).</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>How many findings there were, including those beyond <see cref="VerificationOptions.MaxFindings"/>.</summary>
    public long FindingCount { get; }

    /// <summary>The trace id the document claims (when it could be read).</summary>
    public string? TraceId { get; }

    /// <summary>The number of entries read.</summary>
    public long EntryCount { get; }

    /// <summary>The recomputed composite hash (RFC 9162 Merkle Tree Hash), when every entry could be hashed.</summary>
    public string? CompositeHash { get; }

    /// <summary>The recomputed last chain link, when every entry could be hashed.</summary>
    public string? IntegrityRootHash { get; }

    /// <summary>The first entry with an error finding, as the SidClaw verify response names it.</summary>
    public EntryReference? FirstInvalidEntry { get; }

    /// <summary>Entries whose payload was withheld and verified through the payload hash alone.</summary>
    public long WithheldPayloads { get; }

    /// <summary>The signer key ids that the trust policy pinned and that signed something here.</summary>
    public IReadOnlyList<string> TrustedKeyIds { get; }

    /// <summary>
    /// Every check this verification performs, in the order a person reads them, each passed, failed or not run.
    /// Recorded by the checks as they ran: a failure beyond <see cref="VerificationOptions.MaxFindings"/> still fails
    /// its check, and a check that could not run (for example on a document that is not JSON) is never passed.
    /// </summary>
    public IReadOnlyList<CheckOutcome> Checks { get; }

    /// <summary>The state of <paramref name="check"/>; <see cref="CheckState.NotRun"/> for a check this verification does not perform.</summary>
    public CheckState StateOf(VerificationCheck check)
    {
        foreach (var outcome in Checks)
        {
            if (outcome.Check == check)
            {
                return outcome.State;
            }
        }

        return CheckState.NotRun;
    }

    /// <summary>The chain check ran over every entry and passed (false when it failed or did not run).</summary>
    public bool ChainValid => StateOf(VerificationCheck.Chain) == CheckState.Passed;

    /// <summary>
    /// Every entry and seal-event signature was checked and verifies (false when one failed or could not be checked).
    /// The certificate's signature is part of <see cref="VerificationCheck.Certificate"/>.
    /// </summary>
    public bool SignaturesValid => StateOf(VerificationCheck.Signatures) == CheckState.Passed;

    /// <summary>The composite hash and entry count were recomputed and match (false when they did not, or could not be recomputed).</summary>
    public bool CompositeValid => StateOf(VerificationCheck.Composite) == CheckState.Passed;

    /// <summary>How many findings had <paramref name="code"/>, including those beyond <see cref="VerificationOptions.MaxFindings"/>.</summary>
    public long CountOf(string code) => _codeCounts.GetValueOrDefault(code);

    /// <summary>True when some finding, listed or only counted, has <paramref name="code"/>.</summary>
    public bool Has(string code) => CountOf(code) > 0;
}
