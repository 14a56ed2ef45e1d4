using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>
/// One verified unit of a vendor document, with its own verdict: a SidClaw trace, an Invoance event or attestation, a
/// Novyx checkpoint or certificate. A document with many (an export) takes the worst verdict of its items.
/// </summary>
public sealed class VendorItem
{
    internal VendorItem(string kind, string id, Verdict verdict, IReadOnlyList<Finding> findings, long findingCount)
    {
        Kind = kind;
        Id = id;
        Verdict = verdict;
        Findings = findings;
        FindingCount = findingCount;
    }

    /// <summary>What the item is: <c>trace</c>, <c>event</c>, <c>attestation</c>, <c>checkpoint</c> or <c>certificate</c>.</summary>
    public string Kind { get; }

    /// <summary>The item's id as the document gives it (trace id, event id, checkpoint id, …).</summary>
    public string Id { get; }

    /// <summary>The item's verdict.</summary>
    public Verdict Verdict { get; }

    /// <summary>The item's findings that were listed (the report lists at most <see cref="VerificationOptions.MaxFindings"/> in all).</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>How many findings the item has, listed or not.</summary>
    public long FindingCount { get; }

    /// <summary>SidClaw traces: the number of events read for the trace.</summary>
    public long? Events { get; init; }

    /// <summary>SidClaw traces: the number of those events that carry an <c>integrity_hash</c>.</summary>
    public long? HashedEvents { get; init; }

    /// <summary>SidClaw traces: the first event (in chain order) with an error, as SidClaw's own verify names it.</summary>
    public EntryReference? FirstBrokenEvent { get; init; }

    /// <summary>SidClaw traces: the stored hash of the chain's last event (what a head pin is compared with).</summary>
    public string? Head { get; init; }

    /// <summary>SidClaw traces: whether the caller pinned this trace's head.</summary>
    public bool? HeadPinned { get; init; }
}
