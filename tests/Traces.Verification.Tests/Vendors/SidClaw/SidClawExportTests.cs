using System.Text;
using System.Text.Json.Nodes;
using Traces.Verification.Reports;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Verification.Tests.Vendors.SidClaw;

/// <summary>SidClaw's audit export (GET /api/v1/audit/export), JSON and CSV, streamed.</summary>
public class SidClawExportTests
{
    private const string JsonCapture = "45-audit-export-json.body.json";
    private const string CsvCapture = "46-audit-export-csv.body.csv";

    private static Task<VendorReport> VerifyAsync(byte[] bytes, SidClawExportFormat format, SidClawHeadPins? pins = null) =>
        new SidClawVerifier(pins).VerifyAuditExportAsync(new MemoryStream(bytes), format, TestContext.Current.CancellationToken);

    private static Task<VendorReport> VerifyCaptureAsync(string file, SidClawHeadPins? pins = null) =>
        new SidClawVerifier(pins).VerifyFileAsync(SidClawCaptures.PathOf(file), TestContext.Current.CancellationToken);

    /// <summary>Trace id → its last hash, from the JSON export itself (export order is timestamp order).</summary>
    private static SidClawHeadPins HeadsOfTheExport() => SidClawHeadPins.Create(
        SidClawCaptures.Bytes(JsonCapture) is var bytes
            ? JsonNode.Parse(bytes)!.AsArray()
                .GroupBy(e => e!["trace_id"]!.GetValue<string>())
                .Select(g => new KeyValuePair<string, string>(g.Key, g.Last()!["integrity_hash"]!.GetValue<string>()))
            : []);

    [Theory]
    [InlineData(JsonCapture, "JSON")]
    [InlineData(CsvCapture, "CSV")]
    public async Task CapturedExport_EveryTraceIntact_IsUntrusted_NamingEveryTrace(string file, string form)
    {
        var report = await VerifyCaptureAsync(file);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal($"SidClaw audit export ({form}), 61 events in 9 traces", report.Subject);
        Assert.Equal(9, report.Items.Count);
        Assert.All(report.Items, t =>
        {
            Assert.Equal(Verdict.Untrusted, t.Verdict);
            Assert.Equal(t.Events, t.HashedEvents);
            Assert.Equal(VendorFindingCodes.HeadNotPinned, Assert.Single(t.Findings).Code);
        });
        Assert.Equal(61, report.Items.Sum(t => t.Events));
    }

    [Theory]
    [InlineData(JsonCapture)]
    [InlineData(CsvCapture)]
    public async Task CapturedExport_WithEveryHeadPinned_IsValid(string file)
    {
        var report = await VerifyCaptureAsync(file, HeadsOfTheExport());

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.AllFindings);
        Assert.All(report.Checks, c => Assert.Equal(CheckState.Passed, c.State));
    }

    [Fact]
    public async Task CapturedExport_OneTracePinnedWrong_IsInvalid_OthersStayUntrusted()
    {
        var traceId = SidClawCaptures.TraceId("03-trace-detail-allow_success.body.json");
        var report = await VerifyCaptureAsync(CsvCapture, SidClawHeadPins.Create([new(traceId, new string('0', 64))]));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(Verdict.Invalid, report.Items.Single(t => t.Id == traceId).Verdict);
        Assert.Equal(8, report.Items.Count(t => t.Verdict == Verdict.Untrusted));
    }

    [Fact]
    public async Task JsonAndCsvExports_Agree_TraceByTrace()
    {
        var json = await VerifyCaptureAsync(JsonCapture);
        var csv = await VerifyCaptureAsync(CsvCapture);

        Assert.Equal(Summary(json), Summary(csv));
    }

    [Theory]
    [InlineData("03-trace-detail-allow_success.body.json")]
    [InlineData("04-trace-detail-approved_success.body.json")]
    [InlineData("08-trace-detail-approval_denied.body.json")]
    [InlineData("26-trace-detail-outcome_flow.body.json")]
    public async Task ExportAndTraceDocument_GiveTheSameChain(string detail)
    {
        var export = await VerifyCaptureAsync(JsonCapture);
        var document = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.Bytes(detail));

        var fromExport = export.Items.Single(t => t.Id == SidClawCaptures.TraceId(detail));
        Assert.Equal(document.Items[0].Head, fromExport.Head);
        Assert.Equal(document.Items[0].HashedEvents, fromExport.HashedEvents);
    }

    [Fact]
    public async Task EditedRow_IsInvalidAtThatEvent_InBothForms_AtTheSameRow()
    {
        var rows = JsonNode.Parse(SidClawCaptures.Bytes(JsonCapture))!.AsArray();
        rows[20]!["description"] = rows[20]!["description"]!.GetValue<string>() + ", edited";
        var json = await VerifyAsync(SidClawCaptures.ToBytes(rows), SidClawExportFormat.Json);
        var csv = await VerifyAsync(SidClawSynthetic.CsvExport(rows.Select(r => r!.AsObject())), SidClawExportFormat.Csv);

        foreach (var report in new[] { json, csv })
        {
            var error = Assert.Single(report.AllFindings, f => f.Severity == FindingSeverity.Error);
            Assert.Equal(VendorFindingCodes.IntegrityHashMismatch, error.Code);
            Assert.Equal(rows[20]!["event_id"]!.GetValue<string>(), error.EventId);
            Assert.Equal(20, error.EntryIndex);
            Assert.Equal(Verdict.Invalid, report.Verdict);
        }

        Assert.Equal("/20/integrity_hash", json.AllFindings.Single(f => f.Severity == FindingSeverity.Error).Location);
        Assert.Null(csv.AllFindings.Single(f => f.Severity == FindingSeverity.Error).Location);
        Assert.Equal(Summary(json), Summary(csv));
    }

    [Fact]
    public async Task CsvWithCrlfLineEndsAndAFinalNewline_ReadsTheSame()
    {
        var rows = SidClawSynthetic.Trace("t1", 5).Select(e => SidClawSynthetic.ExportRow("t1", e)).ToList();
        var lf = await VerifyAsync(SidClawSynthetic.CsvExport(rows), SidClawExportFormat.Csv);
        var crlf = await VerifyAsync([.. SidClawSynthetic.CsvExport(rows, "\r\n"), .. "\r\n"u8], SidClawExportFormat.Csv);

        Assert.Equal(Verdict.Untrusted, lf.Verdict);
        Assert.Equal(Summary(lf), Summary(crlf));
        Assert.DoesNotContain(crlf.AllFindings, f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public async Task ByteOrderMark_IsIgnored_InBothForms()
    {
        var rows = SidClawSynthetic.Trace("t1", 4).Select(e => SidClawSynthetic.ExportRow("t1", e)).ToList();
        var json = await VerifyAsync([.. "\uFEFF"u8, .. SidClawSynthetic.JsonExport(rows)], SidClawExportFormat.Json);
        var csv = await VerifyAsync([.. "\uFEFF"u8, .. SidClawSynthetic.CsvExport(rows)], SidClawExportFormat.Csv);

        Assert.Equal(Verdict.Untrusted, json.Verdict);
        Assert.Equal(Summary(json), Summary(csv));
    }

    [Fact]
    public async Task RowListedAfterLaterEventsOfItsTrace_IsReportedAsUnordered()
    {
        var rows = SidClawSynthetic.Trace("t1", 5, i => i * 10).Select(e => SidClawSynthetic.ExportRow("t1", e)).ToList();
        (rows[1], rows[3]) = (rows[3], rows[1]);

        var report = await VerifyAsync(SidClawSynthetic.JsonExport(rows), SidClawExportFormat.Json);

        Assert.Contains(report.AllFindings, f => f.Code == VendorFindingCodes.OrderUnresolved && f.EventId == "t1-e1");
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Theory]
    [InlineData("[{\"event_id\":\"a\"", FindingCodes.Malformed, "The array ends before its JSON is complete (truncated).")]
    [InlineData("{\"event_id\":\"a\"}", FindingCodes.Malformed, "The document is not a JSON array.")]
    [InlineData("", FindingCodes.Malformed, "The document is empty.")]
    [InlineData("[] []", FindingCodes.Malformed, null)]
    public async Task BrokenJsonExport_IsInvalid_AndNoCheckPasses(string json, string code, string? message)
    {
        var report = await VerifyAsync(Encoding.UTF8.GetBytes(json), SidClawExportFormat.Json);

        var finding = report.Findings.Single(f => f.Severity == FindingSeverity.Error);
        Assert.Equal(code, finding.Code);
        if (message is not null)
        {
            Assert.Equal(message, finding.Message);
        }

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.DoesNotContain(report.Checks, c => c.State == CheckState.Passed);
    }

    [Theory]
    [InlineData("event_id,trace_id\na,b", "The CSV header has no 'event_type' column")]
    [InlineData("", "The document is empty.")]
    public async Task CsvWithoutTheExportColumns_IsMalformed(string csv, string start)
    {
        var report = await VerifyAsync(Encoding.UTF8.GetBytes(csv), SidClawExportFormat.Csv);

        Assert.StartsWith(start, report.Findings.Single().Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public async Task CsvRowWithTheWrongNumberOfFields_OrAStrayQuote_IsMalformed()
    {
        var rows = SidClawSynthetic.Trace("t1", 3).Select(e => SidClawSynthetic.ExportRow("t1", e)).ToList();
        var text = Encoding.UTF8.GetString(SidClawSynthetic.CsvExport(rows));
        var extraField = text + "\nx,t1,agent-1,a,b,c,d,e,2026-12-02T06:00:01.000Z,,,surplus";

        var report = await VerifyAsync(Encoding.UTF8.GetBytes(extraField), SidClawExportFormat.Csv);
        var finding = Assert.Single(report.AllFindings, f => f.Code == FindingCodes.Malformed);
        Assert.Equal("CSV row 4 (x) has 12 fields; the header has 11.", finding.Message);

        var strayQuote = await VerifyAsync(Encoding.UTF8.GetBytes(text + "\nx,t1,agent-1,a,b,c,d\"e,f"), SidClawExportFormat.Csv);
        Assert.Equal("CSV record 4 has a quote inside an unquoted field.", strayQuote.Findings.Single().Message);
        Assert.Equal(Verdict.Invalid, strayQuote.Verdict);
    }

    [Fact]
    public async Task CsvThatIsNotUtf8_IsReportedNotReplaced()
    {
        var rows = SidClawSynthetic.Trace("t1", 2).Select(e => SidClawSynthetic.ExportRow("t1", e)).ToList();
        byte[] bytes = [.. SidClawSynthetic.CsvExport(rows), .. "\nx,t1,a,b,c,"u8, 0xFF, .. ",d,e,f,g,h"u8];

        var report = await VerifyAsync(bytes, SidClawExportFormat.Csv);

        Assert.Contains("is not valid UTF-8", report.Findings.Single().Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public async Task ManyInterleavedTraces_StreamedFromANonSeekableStream_VerifyTraceByTrace()
    {
        // 2,000 traces of 10 events, interleaved by timestamp as SidClaw orders the export; one event edited.
        var rows = Enumerable.Range(0, 2_000)
            .SelectMany(t => SidClawSynthetic.Trace($"trace-{t}", 10, i => i * 2_000 + t).Select(e => SidClawSynthetic.ExportRow($"trace-{t}", e)))
            .OrderBy(r => r["timestamp"]!.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        rows[12_345]["status"] = "forged";
        var edited = rows[12_345]["trace_id"]!.GetValue<string>();

        foreach (var (bytes, format) in new[] { (SidClawSynthetic.JsonExport(rows), SidClawExportFormat.Json), (SidClawSynthetic.CsvExport(rows), SidClawExportFormat.Csv) })
        {
            var progress = new List<long>();
            var verifier = new SidClawVerifier(options: VerificationOptions.Default with { Progress = new SyncProgress(progress) });
            var report = await verifier.VerifyAuditExportAsync(new NonSeekableStream(bytes), format, TestContext.Current.CancellationToken);

            Assert.Equal(2_000, report.Items.Count);
            Assert.Equal(Verdict.Invalid, report.Verdict);
            Assert.Equal(edited, Assert.Single(report.Items, t => t.Verdict == Verdict.Invalid).Id);
            Assert.Equal(rows[12_345]["event_id"]!.GetValue<string>(), report.Items.Single(t => t.Id == edited).FirstBrokenEvent!.EventId);
            Assert.Equal(1_999, report.Items.Count(t => t.Verdict == Verdict.Untrusted));
            Assert.Equal([4_096, 8_192, 12_288, 16_384, 20_000], progress);
        }
    }

    private static string Summary(VendorReport report) => string.Join("\n", report.Items.Select(t =>
        $"{t.Id} {t.Verdict} {t.Events}/{t.HashedEvents} {t.FirstBrokenEvent?.EventId} {t.Head} {string.Join(',', t.Findings.Select(f => f.Code + ":" + f.EventId))}"));

    private sealed class SyncProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }

    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7_919));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
