using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>
/// Collects the checks, items and findings of one vendor verification. Findings are counted per check and per item
/// whether or not they are listed, so a check's state and an item's verdict never depend on the listing limit; a
/// check passes only when its verifier says it ran to the end (<see cref="Completed"/>). Single-threaded.
/// </summary>
internal sealed class VendorReportBuilder(string format, int maxFindings)
{
    private readonly List<(string Name, string Detail)> _checks = [];
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Check, string Code), long> _failures = [];
    private readonly List<Finding> _findings = [];
    private readonly List<Item> _items = [];
    private long _total;
    private long _listed;
    private int _errors;
    private int _trustIssues;

    /// <summary>What was verified, in words; may be set once the document is read.</summary>
    public string Subject { get; set; } = "";

    /// <summary>Declares a check (in reading order) with what it covers.</summary>
    public void Check(string name, string detail)
    {
        var index = _checks.FindIndex(c => c.Name == name);
        if (index < 0)
        {
            _checks.Add((name, detail));
        }
        else
        {
            _checks[index] = (name, detail);
        }
    }

    /// <summary>Records that the check ran over everything it covers (without this it is never reported passed).</summary>
    public void Completed(string name) => _completed.Add(name);

    /// <summary>Starts an item (a trace, an event, a checkpoint…).</summary>
    public Item AddItem(string kind, string id)
    {
        var item = new Item(kind, id);
        _items.Add(item);
        return item;
    }

    /// <summary>Adds a finding about the document, failing <paramref name="check"/> when it is an error or trust finding.</summary>
    public void Add(string check, Finding finding) => Add(check, finding, null);

    /// <summary>Adds a finding about <paramref name="item"/> (or the document when null).</summary>
    public void Add(string check, Finding finding, Item? item)
    {
        _total++;
        if (finding.Severity != FindingSeverity.Info)
        {
            _failures[(check, finding.Code)] = _failures.GetValueOrDefault((check, finding.Code)) + 1;
        }

        var listed = _listed < maxFindings;
        if (listed)
        {
            _listed++;
        }

        if (item is null)
        {
            _errors += finding.Severity == FindingSeverity.Error ? 1 : 0;
            _trustIssues += finding.Severity == FindingSeverity.Trust ? 1 : 0;
            if (listed)
            {
                _findings.Add(finding);
            }
        }
        else
        {
            item.Record(finding, listed);
        }
    }

    public VendorReport Build()
    {
        var items = _items.Select(i => i.Build()).ToList();
        var verdict = _errors > 0 || items.Any(i => i.Verdict == Verdict.Invalid) ? Verdict.Invalid
            : _trustIssues > 0 || items.Any(i => i.Verdict == Verdict.Untrusted) ? Verdict.Untrusted
            : Verdict.Valid;
        var findings = _findings.ToList();
        if (_total > _listed)
        {
            findings.Add(new Finding(FindingCodes.FindingsTruncated, FindingSeverity.Info,
                $"{_total - _listed} more findings were counted but not listed (limit {maxFindings})."));
        }

        var checks = _checks.Select(c =>
        {
            var counts = _failures.Where(f => f.Key.Check == c.Name).Select(f => new CodeCount(f.Key.Code, f.Value))
                .OrderBy(f => f.Code, StringComparer.Ordinal).ToList();
            var state = counts.Count > 0 ? CheckState.Failed : _completed.Contains(c.Name) ? CheckState.Passed : CheckState.NotRun;
            return new VendorCheck(c.Name, state, c.Detail) { FindingCounts = counts };
        }).ToList();
        return new VendorReport(format, Subject, verdict, checks, items, findings, _total);
    }

    /// <summary>One item's findings and counters.</summary>
    internal sealed class Item(string kind, string id)
    {
        private List<Finding>? _findings;
        private long _count;
        private int _errors;
        private int _trustIssues;

        public string Id => id;

        public long Events { get; set; }

        public long HashedEvents { get; set; }

        public EntryReference? FirstBroken { get; set; }

        public string? Head { get; set; }

        public bool? HeadPinned { get; set; }

        public bool HasErrors => _errors > 0;

        public bool HasTrustIssues => _trustIssues > 0;

        public void Record(Finding finding, bool listed)
        {
            _count++;
            _errors += finding.Severity == FindingSeverity.Error ? 1 : 0;
            _trustIssues += finding.Severity == FindingSeverity.Trust ? 1 : 0;
            if (listed)
            {
                (_findings ??= []).Add(finding);
            }
        }

        public VendorItem Build()
        {
            var verdict = _errors > 0 ? Verdict.Invalid : _trustIssues > 0 ? Verdict.Untrusted : Verdict.Valid;
            return kind == "trace"
                ? new VendorItem(kind, id, verdict, _findings ?? [], _count)
                {
                    Events = Events,
                    HashedEvents = HashedEvents,
                    FirstBrokenEvent = FirstBroken,
                    Head = Head,
                    HeadPinned = HeadPinned,
                }
                : new VendorItem(kind, id, verdict, _findings ?? [], _count);
        }
    }
}
