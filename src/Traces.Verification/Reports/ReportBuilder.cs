namespace Traces.Verification.Reports;

/// <summary>
/// Collects findings from the sequential reader and the parallel signature workers, keeping at most
/// <c>maxFindings</c> of them (memory stays bounded for a million bad entries) and the exact first invalid entry.
/// Every finding is also counted per check and code, listed or not, so a check's state never depends on the
/// listing limit; and each check records when it ran to the end (<see cref="Completed"/>).
/// </summary>
internal sealed class ReportBuilder(int maxFindings)
{
    // The listed findings: the first maxFindings in the report's order (proof-format §10.3), whatever order the
    // reader and the signature workers found them in. A max-heap on that order: past the limit, a finding that sorts
    // before the last one kept replaces it.
    private readonly PriorityQueue<(Finding Finding, long Sequence), (Finding Finding, long Sequence)> _kept = new(ListingOrder.Reversed);
    private readonly HashSet<string> _trustedKeyIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(VerificationCheck Check, string Code), long> _failures = [];
    private readonly Dictionary<string, long> _codeCounts = new(StringComparer.Ordinal);
    private long _count;
    private long _errors;
    private long _trustIssues;
    private long _firstInvalidIndex = long.MaxValue;
    private string? _firstInvalidEventId;
    private int _completed;
    private readonly Lock _gate = new();

    /// <summary>Adds a finding that fails the check its code belongs to (<see cref="CheckCodes.Of"/>).</summary>
    public void Add(Finding finding) => Add(finding, CheckCodes.Of(finding.Code));

    /// <summary>Adds a finding that fails <paramref name="check"/> (when it is an error or trust finding).</summary>
    public void Add(Finding finding, VerificationCheck check)
    {
        var count = Interlocked.Increment(ref _count);
        lock (_gate)
        {
            _codeCounts[finding.Code] = _codeCounts.GetValueOrDefault(finding.Code) + 1;
            if (finding.Severity != FindingSeverity.Info)
            {
                _failures[(check, finding.Code)] = _failures.GetValueOrDefault((check, finding.Code)) + 1;
            }

            if (finding.Severity == FindingSeverity.Error && finding.EntryIndex is { } index && index < _firstInvalidIndex)
            {
                _firstInvalidIndex = index;
                _firstInvalidEventId = finding.EventId;
            }

            if (maxFindings > 0)
            {
                Keep((finding, count));
            }
        }

        if (finding.Severity == FindingSeverity.Error)
        {
            Interlocked.Increment(ref _errors);
        }
        else if (finding.Severity == FindingSeverity.Trust)
        {
            Interlocked.Increment(ref _trustIssues);
        }
    }

    /// <summary>Lists <paramref name="item"/> if it is among the first <c>maxFindings</c> in the report's order (under <c>_gate</c>).</summary>
    private void Keep((Finding Finding, long Sequence) item)
    {
        if (_kept.Count < maxFindings)
        {
            _kept.Enqueue(item, item);
        }
        else if (ListingOrder.Instance.Compare(item, _kept.Peek()) < 0)
        {
            _kept.DequeueEnqueue(item, item);
        }
    }

    /// <summary>
    /// The report's order (§10.3): by entry index (document-level findings last), errors before trust before info,
    /// then code and location (so which findings are listed does not depend on thread timing), then arrival.
    /// </summary>
    private sealed class ListingOrder(bool reversed) : IComparer<(Finding Finding, long Sequence)>
    {
        public static readonly ListingOrder Instance = new(false);
        public static readonly ListingOrder Reversed = new(true);

        public int Compare((Finding Finding, long Sequence) x, (Finding Finding, long Sequence) y)
        {
            var order = (x.Finding.EntryIndex ?? long.MaxValue).CompareTo(y.Finding.EntryIndex ?? long.MaxValue);
            if (order == 0)
            {
                order = Rank(x.Finding.Severity).CompareTo(Rank(y.Finding.Severity));
            }

            if (order == 0)
            {
                order = string.CompareOrdinal(x.Finding.Code, y.Finding.Code);
            }

            if (order == 0)
            {
                order = string.CompareOrdinal(x.Finding.Location, y.Finding.Location);
            }

            if (order == 0)
            {
                order = x.Sequence.CompareTo(y.Sequence);
            }

            return reversed ? -order : order;
        }

        internal static int Rank(FindingSeverity severity) =>
            severity == FindingSeverity.Error ? 0 : severity == FindingSeverity.Trust ? 1 : 2;
    }

    /// <summary>
    /// Records that <paramref name="check"/> ran over everything it covers. Without this call a check that found
    /// nothing is reported as not run, never as passed.
    /// </summary>
    public void Completed(VerificationCheck check) => Interlocked.Or(ref _completed, 1 << (int)check);

    public void AddTrustedKey(string keyId)
    {
        lock (_gate)
        {
            _trustedKeyIds.Add(keyId);
        }
    }

    /// <param name="traceId">The trace id the document claims.</param>
    /// <param name="entryCount">Entries read.</param>
    /// <param name="compositeHash">The recomputed composite hash, or null.</param>
    /// <param name="rootHash">The recomputed root, or null.</param>
    /// <param name="withheldPayloads">Entries without their payload.</param>
    /// <param name="trustGiven">Whether the trust policy pins anything.</param>
    /// <param name="checks">The checks this kind of verification performs, in the order a person reads them.</param>
    public VerificationReport Build(string? traceId, long entryCount, string? compositeHash, string? rootHash,
        long withheldPayloads, bool trustGiven, IReadOnlyList<VerificationCheck> checks)
    {
        List<Finding> findings;
        lock (_gate)
        {
            // Listed by entry and severity, in the order found within those (as before the limit was applied).
            findings = _kept.UnorderedItems.Select(i => i.Element)
                .OrderBy(i => i.Finding.EntryIndex ?? long.MaxValue)
                .ThenBy(i => ListingOrder.Rank(i.Finding.Severity))
                .ThenBy(i => i.Sequence)
                .Select(i => i.Finding)
                .ToList();
        }

        var total = Interlocked.Read(ref _count);
        if (total > maxFindings)
        {
            findings.Add(new Finding(FindingCodes.FindingsTruncated, FindingSeverity.Info,
                $"{total - maxFindings} more findings were counted but not listed (limit {maxFindings})."));
        }

        var verdict = Interlocked.Read(ref _errors) > 0 ? Verdict.Invalid
            : Interlocked.Read(ref _trustIssues) > 0 || !trustGiven ? Verdict.Untrusted
            : Verdict.Valid;

        List<CheckOutcome> outcomes;
        Dictionary<string, long> codeCounts;
        lock (_gate)
        {
            // A check outside the expected list that failed anyway is listed too: a failure is never hidden.
            var listed = checks.Concat(_failures.Keys.Select(k => k.Check).Where(c => !checks.Contains(c)).Distinct().Order());
            outcomes = [.. listed.Select(Outcome)];
            codeCounts = new Dictionary<string, long>(_codeCounts, StringComparer.Ordinal);
        }

        if (total > maxFindings)
        {
            codeCounts[FindingCodes.FindingsTruncated] = 1;
        }

        var first = _firstInvalidIndex == long.MaxValue ? null : new EntryReference(_firstInvalidIndex, _firstInvalidEventId);
        return new VerificationReport(verdict, findings, total, traceId, entryCount, compositeHash, rootHash, first,
            withheldPayloads, _trustedKeyIds.Order(StringComparer.Ordinal).ToList(), outcomes, codeCounts);
    }

    private CheckOutcome Outcome(VerificationCheck check)
    {
        var failures = _failures
            .Where(f => f.Key.Check == check)
            .Select(f => new CodeCount(f.Key.Code, f.Value))
            .OrderBy(c => CheckCodes.Order(c.Code))
            .ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToList();
        var state = failures.Count > 0 ? CheckState.Failed
            : (Volatile.Read(ref _completed) & (1 << (int)check)) != 0 ? CheckState.Passed
            : CheckState.NotRun;
        return new CheckOutcome(check, state, failures);
    }
}
