using System.Globalization;
using Traces.Cli.Infrastructure;
using Traces.Verification.Reports;
using Traces.Verification.Vendors;

namespace Traces.Cli.Verification;

/// <summary>
/// Writes a vendor document's report for people: what was verified, each item (trace, event, checkpoint…) with its
/// verdict, each check with its state and what it covers (or why it did not run), the findings, and the verdict.
/// </summary>
internal static class VendorReportWriter
{
    /// <summary>Items listed one by one in text (all of them are in <c>--json</c>); items with an error are always listed.</summary>
    internal const int MaxListedItems = 50;

    public static void WriteHuman(TextWriter output, string path, VendorReport report)
    {
        // Ids, subjects and hashes come from the document: printed through TerminalText so it cannot drive the terminal.
        output.WriteLine(TerminalText.Safe(report.Subject));
        output.WriteLine($"  File    {TerminalText.Safe(path)}");
        output.WriteLine($"  Format  {report.Format}");

        if (report.Items.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"{Title(report)} ({report.Items.Count.ToString("N0", CultureInfo.InvariantCulture)})");
            var listed = report.Items.Where(i => i.Verdict == Verdict.Invalid)
                .Concat(report.Items.Where(i => i.Verdict != Verdict.Invalid).Take(Math.Max(0, MaxListedItems - report.Items.Count(i => i.Verdict == Verdict.Invalid))))
                .ToHashSet();
            foreach (var item in report.Items.Where(listed.Contains))
            {
                output.WriteLine($"  {Mark(item.Verdict)} {TerminalText.Safe(item.Id)}  {item.Verdict}{TerminalText.Safe(Describe(item))}");
            }

            if (listed.Count < report.Items.Count)
            {
                var rest = report.Items.Where(i => !listed.Contains(i)).GroupBy(i => i.Verdict).Select(g => $"{g.Count().ToString("N0", CultureInfo.InvariantCulture)} {g.Key}");
                output.WriteLine($"  … and {string.Join(", ", rest)} more (--json lists every one).");
            }
        }

        output.WriteLine();
        output.WriteLine("Checks");
        var width = report.Checks.Max(c => c.Name.Length);
        foreach (var check in report.Checks)
        {
            var (mark, suffix) = check.State switch
            {
                CheckState.Passed => ("✓", ""),
                CheckState.Failed => ("✗", $"  [{string.Join(", ", check.FindingCounts.Select(c => c.Count == 1 ? c.Code : $"{c.Code} ×{c.Count.ToString("N0", CultureInfo.InvariantCulture)}"))}]"),
                _ => ("-", "  (not run)"),
            };
            output.WriteLine($"  {mark} {check.Name.PadRight(width)}  {TerminalText.Safe(check.Detail)}{suffix}");
        }

        var findings = report.Findings.Select(f => (Finding: f, Item: (string?)null))
            .Concat(report.Items.SelectMany(i => i.Findings.Select(f => (Finding: f, Item: (string?)$"{i.Kind} {i.Id}"))))
            .ToList();
        if (findings.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Findings ({report.FindingCount.ToString("N0", CultureInfo.InvariantCulture)})");
            foreach (var (finding, item) in findings)
            {
                ReportWriter.WriteFinding(output, finding, item);
            }
        }

        output.WriteLine();
        output.WriteLine($"Verdict: {report.Verdict}{TerminalText.Safe(Explain(report))}");
    }

    private static string Title(VendorReport report) => report.Items[0].Kind switch
    {
        "trace" => "Traces",
        "event" => "Events",
        "checkpoint" => "Checkpoints",
        "attestation" => "Attestations",
        _ => "Certificates",
    };

    private static string Mark(Verdict verdict) => verdict switch
    {
        Verdict.Valid => "✓",
        Verdict.Untrusted => "!",
        _ => "✗",
    };

    private static string Describe(VendorItem item)
    {
        if (item.Kind != "trace")
        {
            return "";
        }

        var text = $"  {item.Events} events, {item.HashedEvents} hashed";
        if (item.FirstBrokenEvent is { } first)
        {
            text += $", first broken: {first.EventId} (entry {first.EntryIndex.ToString(CultureInfo.InvariantCulture)})";
        }

        if (item.Head is not null)
        {
            text += $", head {item.Head}{(item.HeadPinned == true ? " (pinned)" : "")}";
        }

        return text;
    }

    private static string Explain(VendorReport report)
    {
        if (report.Verdict == Verdict.Valid)
        {
            var notRun = report.Checks.Where(c => c.State == CheckState.NotRun).Select(c => c.Name).ToList();
            return report.Format == VendorFormats.SidClaw
                ? " — every hash recomputed, every chain intact and ending at its pinned head."
                : notRun.Count == 0
                    ? " — every check passed and every signer is pinned."
                    : $" — every check that could run passed and every signer is pinned (not run: {string.Join(", ", notRun)}; see above).";
        }

        if (report.Verdict == Verdict.Untrusted)
        {
            if (report.Format != VendorFormats.SidClaw)
            {
                return " — consistent, but signed by a key that --trust does not pin. Not valid.";
            }

            return report.Has(VendorFindingCodes.UnhashedEvent) || report.Has(VendorFindingCodes.NoHashedEvents)
                ? " — some events carry no hash: nothing protects them. Not valid."
                : " — every chain is intact, but a SidClaw chain has no key: pin each trace's head with --trust sidclaw:<trace_id>=<hash>, "
                  + "obtained out of band. Not valid.";
        }

        var broken = report.Items.FirstOrDefault(i => i.FirstBrokenEvent is not null);
        return broken?.FirstBrokenEvent is { } first
            ? $" — first broken event of {broken.Kind} {broken.Id}: {first.EventId} (entry {first.EntryIndex.ToString(CultureInfo.InvariantCulture)})."
            : " — see the findings above.";
    }
}
