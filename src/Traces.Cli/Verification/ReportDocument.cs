using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Traces.Verification.Reports;
using Traces.Verification.Vendors;

namespace Traces.Cli.Verification;

/// <summary>
/// The <c>--json</c> form of a verification report, the same for every format <c>traces verify</c> reads (a traces/v1
/// bundle or a vendor document; <c>format</c> names which). Stable and snake_case: scripts read it. Members are always
/// present (null when unknown, empty when none) so a consumer never has to guess whether a member was dropped.
/// </summary>
internal sealed class ReportDocument
{
    public required string Command { get; init; }

    /// <summary>The format verified: <c>traces-v1</c> or a vendor format (<see cref="VendorFormats"/>).</summary>
    public required string Format { get; init; }

    /// <summary>What was verified, in words (vendor formats); null for traces/v1, which has trace_id and entry_count.</summary>
    public string? Subject { get; init; }

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

    /// <summary>
    /// Vendor formats: each verified item (a SidClaw trace, an Invoance event or attestation, a Novyx checkpoint or
    /// certificate) with its own verdict. Empty for traces/v1 (one bundle is one trace).
    /// </summary>
    public IReadOnlyList<ItemDocument> Items { get; init; } = [];

    public static ReportDocument From(string command, VerificationReport report, string? hint) => new()
    {
        Command = command,
        Format = VendorFormats.TracesV1,
        Verdict = report.Verdict.ToString(),
        ExitCode = VerdictExitCode.Of(report.Verdict),
        TraceId = report.TraceId,
        EntryCount = report.EntryCount,
        CompositeHash = report.CompositeHash,
        IntegrityRootHash = report.IntegrityRootHash,
        FirstInvalidEntry = report.FirstInvalidEntry is { } first ? new EntryReferenceDocument(first.EntryIndex, first.EventId) : null,
        WithheldPayloads = report.WithheldPayloads,
        TrustedKeyIds = report.TrustedKeyIds,
        Checks = report.Checks.Select(c => CheckDocument.From(c, command == "verify-inclusion")).ToList(),
        FindingCount = report.FindingCount,
        Findings = report.Findings.Select(f => FindingDocument.From(f, null)).ToList(),
        Hint = hint,
    };

    public static ReportDocument From(string command, VendorReport report)
    {
        var single = report.Items.Count == 1 ? report.Items[0] : null;
        var broken = report.Items.FirstOrDefault(i => i.FirstBrokenEvent is not null);
        return new ReportDocument
        {
            Command = command,
            Format = report.Format,
            Subject = report.Subject,
            Verdict = report.Verdict.ToString(),
            ExitCode = VerdictExitCode.Of(report.Verdict),
            TraceId = single?.Kind == "trace" ? single.Id : null,
            EntryCount = report.Items.Sum(i => i.Events ?? 1),
            FirstInvalidEntry = broken?.FirstBrokenEvent is { } first ? new EntryReferenceDocument(first.EntryIndex, first.EventId) : null,
            Checks = report.Checks.Select(CheckDocument.From).ToList(),
            FindingCount = report.FindingCount,
            Findings = [.. report.Findings.Select(f => FindingDocument.From(f, null)),
                .. report.Items.SelectMany(i => i.Findings.Select(f => FindingDocument.From(f, i.Id)))],
            Items = report.Items.Select(ItemDocument.From).ToList(),
        };
    }
}

/// <summary>One verified item of a vendor document.</summary>
internal sealed class ItemDocument
{
    public required string Kind { get; init; }

    public required string Id { get; init; }

    public required string Verdict { get; init; }

    /// <summary>SidClaw traces: events read, and how many carry a hash.</summary>
    public long? Events { get; init; }

    public long? HashedEvents { get; init; }

    /// <summary>SidClaw traces: the first event with an error, in chain order.</summary>
    public EntryReferenceDocument? FirstBrokenEvent { get; init; }

    /// <summary>SidClaw traces: the chain's last stored hash (what a head pin is compared with), and whether it was pinned.</summary>
    public string? Head { get; init; }

    public bool? HeadPinned { get; init; }

    public long FindingCount { get; init; }

    public static ItemDocument From(VendorItem item) => new()
    {
        Kind = item.Kind,
        Id = item.Id,
        Verdict = item.Verdict.ToString(),
        Events = item.Events,
        HashedEvents = item.HashedEvents,
        FirstBrokenEvent = item.FirstBrokenEvent is { } first ? new EntryReferenceDocument(first.EntryIndex, first.EventId) : null,
        Head = item.Head,
        HeadPinned = item.HeadPinned,
        FindingCount = item.FindingCount,
    };
}

/// <summary>An entry named by index and id.</summary>
internal sealed record EntryReferenceDocument(long EntryIndex, string? EventId);

/// <summary>
/// One check: <c>state</c> is <c>passed</c>, <c>failed</c> or <c>not_run</c>; <c>failed_codes</c> the codes that failed
/// it, and <c>finding_counts</c> how many findings of each (counted even beyond the listed findings).
/// </summary>
internal sealed record CheckDocument(string Name, string State, string Detail, IReadOnlyList<string> FailedCodes, IReadOnlyDictionary<string, long> FindingCounts)
{
    public static CheckDocument From(CheckOutcome outcome, bool detachedEntry) => new(
        Verification.Checks.Name(outcome.Check),
        Verification.Checks.State(outcome.State),
        Verification.Checks.Description(outcome.Check, detachedEntry),
        [.. outcome.FindingCounts.Select(c => c.Code)],
        outcome.FindingCounts.ToDictionary(c => c.Code, c => c.Count, StringComparer.Ordinal));

    public static CheckDocument From(VendorCheck check) => new(
        check.Name,
        Verification.Checks.State(check.State),
        check.Detail,
        [.. check.FindingCounts.Select(c => c.Code)],
        check.FindingCounts.ToDictionary(c => c.Code, c => c.Count, StringComparer.Ordinal));
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

    /// <summary>The id of the item the finding is about (a SidClaw trace, an Invoance event…); null for the document.</summary>
    public string? Item { get; init; }

    public static FindingDocument From(Finding finding, string? item) => new()
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
        Item = item,
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
