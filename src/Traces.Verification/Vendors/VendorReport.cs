using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>
/// What the verification of a vendor document found: the verdict, each check with its state, each verified item
/// (trace, event, checkpoint…) with its own verdict, and the findings. The verdicts mean what they mean for traces/v1
/// (<see cref="Verdict"/>): <c>Valid</c> only when every check passed and trust comes from the caller.
/// </summary>
public sealed class VendorReport
{
    internal VendorReport(string format, string subject, Verdict verdict, IReadOnlyList<VendorCheck> checks,
        IReadOnlyList<VendorItem> items, IReadOnlyList<Finding> findings, long findingCount)
    {
        Format = format;
        Subject = subject;
        Verdict = verdict;
        Checks = checks;
        Items = items;
        Findings = findings;
        FindingCount = findingCount;
    }

    /// <summary>The format verified, a <see cref="VendorFormats"/> value.</summary>
    public string Format { get; }

    /// <summary>What was verified, in words (for example: "SidClaw audit export (CSV), 61 events in 9 traces").</summary>
    public string Subject { get; }

    /// <summary>The verdict: the worst of the items' verdicts and of the document-level findings.</summary>
    public Verdict Verdict { get; }

    /// <summary>True only for <see cref="Verdict.Valid"/>.</summary>
    public bool IsValid => Verdict == Verdict.Valid;

    /// <summary>Every check of this format, in reading order, each passed, failed or not run (with the reason).</summary>
    public IReadOnlyList<VendorCheck> Checks { get; }

    /// <summary>The verified items in the order they were first read.</summary>
    public IReadOnlyList<VendorItem> Items { get; }

    /// <summary>Findings about the document as a whole (not about one item).</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>How many findings there were in all, items included, listed or not.</summary>
    public long FindingCount { get; }

    /// <summary>Document findings, then each item's, in item order.</summary>
    public IEnumerable<Finding> AllFindings => Findings.Concat(Items.SelectMany(i => i.Findings));

    /// <summary>The state of the check named <paramref name="name"/>; <see cref="CheckState.NotRun"/> when this format has no such check.</summary>
    public CheckState StateOf(string name) => Checks.FirstOrDefault(c => c.Name == name)?.State ?? CheckState.NotRun;

    /// <summary>True when some listed finding has <paramref name="code"/>.</summary>
    public bool Has(string code) => AllFindings.Any(f => f.Code == code);
}
