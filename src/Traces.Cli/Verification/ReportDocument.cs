using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Traces.Verification.Reports;

namespace Traces.Cli.Verification;

/// <summary>
/// The <c>--json</c> form of a verification report. Stable and snake_case: scripts read it. Members are always
/// present (null when unknown) so a consumer never has to guess whether a member was dropped.
/// </summary>
internal sealed class ReportDocument
{
    public required string Command { get; init; }

    public required string Verdict { get; init; }

    public required int ExitCode { get; init; }

    public string? TraceId { get; init; }

    public long EntryCount { get; init; }

    public string? CompositeHash { get; init; }

    public string? IntegrityRootHash { get; init; }

    public EntryReferenceDocument? FirstInvalidEntry { get; init; }

    public long WithheldPayloads { get; init; }

    public IReadOnlyList<string> TrustedKeyIds { get; init; } = [];

    public required IReadOnlyList<CheckDocument> Checks { get; init; }

    public long FindingCount { get; init; }

    public required IReadOnlyList<FindingDocument> Findings { get; init; }

    /// <summary>A suggestion when the file looks like another traces/v1 document (e.g. a certificate given to <c>verify</c>).</summary>
    public string? Hint { get; init; }

    public static ReportDocument From(string command, VerificationReport report, string? hint) => new()
    {
        Command = command,
        Verdict = report.Verdict.ToString(),
        ExitCode = VerdictExitCode.Of(report.Verdict),
        TraceId = report.TraceId,
        EntryCount = report.EntryCount,
        CompositeHash = report.CompositeHash,
        IntegrityRootHash = report.IntegrityRootHash,
        FirstInvalidEntry = report.FirstInvalidEntry is { } first ? new EntryReferenceDocument(first.EntryIndex, first.EventId) : null,
        WithheldPayloads = report.WithheldPayloads,
        TrustedKeyIds = report.TrustedKeyIds,
        Checks = report.Checks.Select(CheckDocument.From).ToList(),
        FindingCount = report.FindingCount,
        Findings = report.Findings.Select(FindingDocument.From).ToList(),
        Hint = hint,
    };
}

/// <summary>An entry named by index and id.</summary>
internal sealed record EntryReferenceDocument(long EntryIndex, string? EventId);

/// <summary>
/// One check: <c>state</c> is <c>passed</c>, <c>failed</c> or <c>not_run</c>; <c>failed_codes</c> the codes that failed
/// it, and <c>finding_counts</c> how many findings of each (counted even beyond the listed findings).
/// </summary>
internal sealed record CheckDocument(string Name, string State, IReadOnlyList<string> FailedCodes, IReadOnlyDictionary<string, long> FindingCounts)
{
    public static CheckDocument From(CheckOutcome outcome) => new(
        Verification.Checks.Name(outcome.Check),
        Verification.Checks.State(outcome.State),
        [.. outcome.FindingCounts.Select(c => c.Code)],
        outcome.FindingCounts.ToDictionary(c => c.Code, c => c.Count, StringComparer.Ordinal));
}

/// <summary>One finding.</summary>
internal sealed class FindingDocument
{
    public required string Code { get; init; }

    public required string Severity { get; init; }

    public required string Message { get; init; }

    public long? EntryIndex { get; init; }

    public string? EventId { get; init; }

    public string? Location { get; init; }

    public string? Expected { get; init; }

    public string? Actual { get; init; }

    public static FindingDocument From(Finding finding) => new()
    {
        Code = finding.Code,
        Severity = finding.Severity switch
        {
            FindingSeverity.Error => "error",
            FindingSeverity.Trust => "trust",
            _ => "info",
        },
        Message = finding.Message,
        EntryIndex = finding.EntryIndex,
        EventId = finding.EventId,
        Location = finding.Location,
        Expected = finding.Expected,
        Actual = finding.Actual,
    };
}

/// <summary>Source-generated JSON for the CLI's own documents (Native AOT: no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ReportDocument))]
[JsonSerializable(typeof(Developer.TraceListDocument))]
[JsonSerializable(typeof(Developer.TraceDocument))]
[JsonSerializable(typeof(Developer.EntryDocument))]
[JsonSerializable(typeof(Developer.ShowDocument))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    private static CliJsonContext? s_output;

    /// <summary>
    /// Indented, and non-ASCII written as is (event ids and messages stay readable); still valid JSON, since the
    /// relaxed encoder escapes what JSON requires.
    /// </summary>
    public static CliJsonContext Output => s_output ??= new CliJsonContext(new JsonSerializerOptions(Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
