using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Verification.Reports;

namespace Traces.Cli.Verification;

/// <summary>Writes a verification report for people, or as JSON (<c>--json</c>).</summary>
internal static class ReportWriter
{
    public static void WriteJson(TextWriter output, ReportDocument document)
    {
        output.WriteLine(JsonSerializer.Serialize(document, CliJsonContext.Output.ReportDocument));
    }

    /// <param name="output">Where to write.</param>
    /// <param name="title">The first line.</param>
    /// <param name="report">The report.</param>
    /// <param name="valueSource">How the hashes shown were obtained: "recomputed" from entries, or "as certified" (a certificate alone).</param>
    /// <param name="detachedEntry">One entry checked without its neighbours (<c>verify-inclusion</c>).</param>
    /// <param name="hint">A suggestion to print after the verdict, or null.</param>
    public static void WriteHuman(TextWriter output, string title, VerificationReport report, string valueSource, bool detachedEntry, string? hint)
    {
        output.WriteLine(title);
        // Everything taken from the document passes TerminalText: a hostile bundle cannot write escape sequences.
        output.WriteLine($"  Trace id        {(report.TraceId is { } id ? TerminalText.Safe(id) : "(unreadable)")}");
        output.WriteLine($"  Entries         {report.EntryCount}");
        // Say where the hashes come from: recomputed from entries (a tampered document claims other values), or
        // merely what a certificate states.
        if (report.CompositeHash is not null)
        {
            output.WriteLine($"  Composite hash  {report.CompositeHash} ({valueSource})");
        }

        if (report.IntegrityRootHash is not null)
        {
            output.WriteLine($"  Root hash       {report.IntegrityRootHash} ({valueSource})");
        }
        if (report.WithheldPayloads > 0)
        {
            output.WriteLine($"  Withheld        {report.WithheldPayloads} payload(s), verified through payload_hash only");
        }

        if (report.TrustedKeyIds.Count > 0)
        {
            output.WriteLine($"  Pinned signers  {string.Join(", ", report.TrustedKeyIds)}");
        }

        output.WriteLine();
        output.WriteLine("Checks");
        // A check is marked passed only when it ran to the end and found nothing; one that could not run says so.
        var width = report.Checks.Max(c => Checks.Name(c.Check).Length);
        foreach (var check in report.Checks)
        {
            var (mark, suffix) = check.State switch
            {
                CheckState.Passed => ("✓", ""),
                CheckState.Failed => ("✗", $"  [{string.Join(", ", check.FindingCounts.Select(c => c.Count == 1 ? c.Code : $"{c.Code} ×{c.Count}"))}]"),
                _ => ("-", "  (not run)"),
            };
            output.WriteLine($"  {mark} {Checks.Name(check.Check).PadRight(width)}  {Checks.Description(check.Check, detachedEntry)}{suffix}");
        }

        if (report.Findings.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Findings ({report.FindingCount})");
            foreach (var finding in report.Findings)
            {
                WriteFinding(output, finding);
            }
        }

        output.WriteLine();
        output.WriteLine($"Verdict: {report.Verdict}{Explain(report)}");
        if (hint is not null)
        {
            output.WriteLine($"Hint: {hint}");
        }
    }

    private static void WriteFinding(TextWriter output, Finding finding)
    {
        var mark = finding.Severity switch
        {
            FindingSeverity.Error => "✗",
            FindingSeverity.Trust => "!",
            _ => "i",
        };
        var where = finding.EntryIndex is { } index
            ? $"entry {index}{(finding.EventId is { } id ? $" ({TerminalText.Safe(id)})" : "")}"
            : "document";
        output.WriteLine($"  {mark} {finding.Code}  {where}{(string.IsNullOrEmpty(finding.Location) ? "" : "  at " + TerminalText.Safe(finding.Location))}");
        output.WriteLine($"      {TerminalText.Safe(finding.Message)}");
        if (finding.Expected is not null)
        {
            output.WriteLine($"      expected: {TerminalText.Safe(finding.Expected)}");
        }

        if (finding.Actual is not null)
        {
            output.WriteLine($"      actual:   {TerminalText.Safe(finding.Actual)}");
        }
    }

    private static string Explain(VerificationReport report) => report.Verdict switch
    {
        Verdict.Valid => " — every check passed and every signer is pinned.",
        Verdict.Untrusted => " — consistent, but signed by a key that --trust does not pin. Not valid.",
        _ => report.FirstInvalidEntry is { } first
            ? $" — first invalid entry: {first.EntryIndex}{(first.EventId is { } id ? $" ({TerminalText.Safe(id)})" : "")}."
            : " — see the findings above.",
    };
}
