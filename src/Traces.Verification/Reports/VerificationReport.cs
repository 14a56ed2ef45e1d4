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
        IReadOnlyList<string> trustedKeyIds)
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
    }

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

    /// <summary>No finding about payloads, content hashes, indices or chain links.</summary>
    public bool ChainValid => !HasAny(FindingCodes.PayloadHashMismatch, FindingCodes.ContentHashMismatch,
        FindingCodes.IndexMismatch, FindingCodes.ChainBroken, FindingCodes.RootMismatch);

    /// <summary>No signature, key or certificate-signature finding.</summary>
    public bool SignaturesValid => !HasAny(FindingCodes.SignatureInvalid, FindingCodes.KeyIdMismatch,
        FindingCodes.CertificateInvalid, FindingCodes.WeakKey, FindingCodes.UnsupportedAlgorithm);

    /// <summary>No composite-hash or entry-count finding.</summary>
    public bool CompositeValid => !HasAny(FindingCodes.CompositeMismatch, FindingCodes.EventCountMismatch);

    /// <summary>True when some finding has <paramref name="code"/>.</summary>
    public bool Has(string code) => Findings.Any(f => f.Code == code);

    private bool HasAny(params string[] codes) => Findings.Any(f => Array.IndexOf(codes, f.Code) >= 0);
}
