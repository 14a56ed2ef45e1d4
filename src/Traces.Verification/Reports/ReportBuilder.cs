using System.Collections.Concurrent;

namespace Traces.Verification.Reports;

/// <summary>
/// Collects findings from the sequential reader and the parallel signature workers, keeping at most
/// <c>maxFindings</c> of them (memory stays bounded for a million bad entries) and the exact first invalid entry.
/// </summary>
internal sealed class ReportBuilder(int maxFindings)
{
    private readonly ConcurrentQueue<Finding> _findings = new();
    private readonly HashSet<string> _trustedKeyIds = new(StringComparer.Ordinal);
    private long _count;
    private long _errors;
    private long _trustIssues;
    private long _firstInvalidIndex = long.MaxValue;
    private string? _firstInvalidEventId;
    private readonly Lock _gate = new();

    public void Add(Finding finding)
    {
        var count = Interlocked.Increment(ref _count);
        if (finding.Severity == FindingSeverity.Error)
        {
            Interlocked.Increment(ref _errors);
            if (finding.EntryIndex is { } index)
            {
                lock (_gate)
                {
                    if (index < _firstInvalidIndex)
                    {
                        _firstInvalidIndex = index;
                        _firstInvalidEventId = finding.EventId;
                    }
                }
            }
        }
        else if (finding.Severity == FindingSeverity.Trust)
        {
            Interlocked.Increment(ref _trustIssues);
        }

        if (count <= maxFindings)
        {
            _findings.Enqueue(finding);
        }
    }

    public void AddTrustedKey(string keyId)
    {
        lock (_gate)
        {
            _trustedKeyIds.Add(keyId);
        }
    }

    public VerificationReport Build(string? traceId, long entryCount, string? compositeHash, string? rootHash,
        long withheldPayloads, bool trustGiven)
    {
        var findings = _findings
            .OrderBy(f => f.EntryIndex ?? long.MaxValue)
            .ThenBy(f => f.Severity == FindingSeverity.Error ? 0 : f.Severity == FindingSeverity.Trust ? 1 : 2)
            .ToList();
        var total = Interlocked.Read(ref _count);
        if (total > maxFindings)
        {
            findings.Add(new Finding(FindingCodes.FindingsTruncated, FindingSeverity.Info,
                $"{total - maxFindings} more findings were counted but not listed (limit {maxFindings})."));
        }

        var verdict = Interlocked.Read(ref _errors) > 0 ? Verdict.Invalid
            : Interlocked.Read(ref _trustIssues) > 0 || !trustGiven ? Verdict.Untrusted
            : Verdict.Valid;

        var first = _firstInvalidIndex == long.MaxValue ? null : new EntryReference(_firstInvalidIndex, _firstInvalidEventId);
        return new VerificationReport(verdict, findings, total, traceId, entryCount, compositeHash, rootHash, first,
            withheldPayloads, _trustedKeyIds.Order(StringComparer.Ordinal).ToList());
    }
}
