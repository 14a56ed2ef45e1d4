using System.Text.Json.Nodes;
using Traces.Verification.Reports;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Verification.Tests.Vendors.SidClaw;

/// <summary>Every SidClaw trace document captured from the real server, verified offline.</summary>
public class SidClawCaptureTests
{
    /// <summary>Untampered trace documents and the answer of SidClaw's own verify for the same trace.</summary>
    public static TheoryData<string, string, int> Untampered => new()
    {
        { "03-trace-detail-allow_success.body.json", "28-verify-allow_success.body.json", 7 },
        { "04-trace-detail-approved_success.body.json", "29-verify-approved_success.body.json", 8 },
        { "05-trace-detail-denied_by_policy.body.json", "30-verify-denied_by_policy.body.json", 6 },
        { "06-trace-detail-default_deny.body.json", "31-verify-default_deny.body.json", 6 },
        { "07-trace-detail-pending_approval.body.json", "32-verify-pending_approval.body.json", 5 },
        { "08-trace-detail-approval_denied.body.json", "33-verify-approval_denied.body.json", 7 },
        { "09-trace-detail-allow_error.body.json", "34-verify-allow_error.body.json", 6 },
        { "10-trace-detail-tamper_target.body.json", "35-verify-tamper_target.body.json", 5 },
        { "26-trace-detail-outcome_flow.body.json", "27-verify-outcome_flow.body.json", 11 },
        { "71-tamper-4-metadata-not-hashed-detail.body.json", "70-tamper-4-metadata-not-hashed-verify.body.json", 5 },
        { "73-tamper-5-policy-version-not-hashed-detail.body.json", "72-tamper-5-policy-version-not-hashed-verify.body.json", 5 },
        { "81-tamper-9-rechain-after-edit-detail.body.json", "80-tamper-9-rechain-after-edit-verify.body.json", 5 },
    };

    [Theory]
    [MemberData(nameof(Untampered))]
    public void IntactTrace_WithoutPin_IsUntrusted_WithOneHeadNotPinnedFinding(string detail, string verify, int events)
    {
        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.Bytes(detail));

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        var trace = Assert.Single(report.Items);
        Assert.Equal(SidClawCaptures.TraceId(detail), trace.Id);
        Assert.Equal(events, trace.Events);
        Assert.Equal(events, trace.HashedEvents);
        Assert.Null(trace.FirstBrokenEvent);
        Assert.Equal(SidClawCaptures.LastHash(detail), trace.Head);
        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.HeadNotPinned, finding.Code);
        Assert.Equal(FindingSeverity.Trust, finding.Severity);
        Assert.Equal(SidClawCaptures.LastHash(detail), finding.Actual);
        Assert.Equal(
            [CheckState.Passed, CheckState.Passed, CheckState.Passed, CheckState.Passed, CheckState.Failed],
            report.Checks.Select(c => c.State));

        // SidClaw's own verify said the same: verified, every event verified.
        var server = SidClawCaptures.Verify(verify);
        Assert.True(server.Verified);
        Assert.Equal(server.TotalEvents, trace.Events);
        Assert.Equal(server.VerifiedEvents, trace.HashedEvents);
    }

    [Theory]
    [MemberData(nameof(Untampered))]
    public void IntactTrace_WithItsHeadPinned_IsValid(string detail, string verify, int events)
    {
        _ = (verify, events);
        var pins = SidClawHeadPins.Create([new(SidClawCaptures.TraceId(detail), SidClawCaptures.LastHash(detail))]);

        var report = new SidClawVerifier(pins).VerifyTraceDocument(SidClawCaptures.Bytes(detail));

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.AllFindings);
        Assert.All(report.Checks, c => Assert.Equal(CheckState.Passed, c.State));
        Assert.True(report.Items[0].HeadPinned);
    }

    [Fact]
    public void RechainedTrace_IsIntact_ButItsBaselineHeadPinIsInvalid()
    {
        // tamper.txt case 9: a description edited and every later hash recomputed in the database. SidClaw's verify
        // says verified; only the head taken before the edit tells.
        var baselineHead = SidClawCaptures.LastHash("10-trace-detail-tamper_target.body.json");
        var traceId = SidClawCaptures.TraceId("10-trace-detail-tamper_target.body.json");
        Assert.True(SidClawCaptures.Verify("80-tamper-9-rechain-after-edit-verify.body.json").Verified);

        var report = new SidClawVerifier(SidClawHeadPins.Create([new(traceId, baselineHead)]))
            .VerifyTraceDocument(SidClawCaptures.Bytes("81-tamper-9-rechain-after-edit-detail.body.json"));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.HeadMismatch, finding.Code);
        Assert.Equal(baselineHead, finding.Expected);
        Assert.Equal(SidClawCaptures.LastHash("81-tamper-9-rechain-after-edit-detail.body.json"), finding.Actual);
        Assert.NotEqual(finding.Expected, finding.Actual);
        Assert.Equal(CheckState.Failed, report.StateOf(VendorCheckNames.Trust));
        Assert.Equal(CheckState.Passed, report.StateOf(VendorCheckNames.Hashes));
    }

    /// <summary>Tampered traces where SidClaw's verify and this verifier name the same event with the same hashes.</summary>
    public static TheoryData<string, string, string> TamperedAgreeing => new()
    {
        { "65-tamper-1-description-detail.body.json", "64-tamper-1-description-verify.body.json", VendorFindingCodes.IntegrityHashMismatch },
        { "67-tamper-2-status-detail.body.json", "66-tamper-2-status-verify.body.json", VendorFindingCodes.IntegrityHashMismatch },
        { "77-tamper-7-hard-delete-detail.body.json", "76-tamper-7-hard-delete-verify.body.json", VendorFindingCodes.IntegrityHashMismatch },
        { "79-tamper-8-hash-field-detail.body.json", "78-tamper-8-hash-field-verify.body.json", VendorFindingCodes.IntegrityHashMismatch },
        { "58-quirk-lone-surrogate-detail.body.json", "59-quirk-lone-surrogate-verify.body.json", VendorFindingCodes.VendorEncodingDefect },
        { "61-quirk-emoji-at-80-detail.body.json", "62-quirk-emoji-at-80-verify.body.json", VendorFindingCodes.VendorEncodingDefect },
    };

    [Theory]
    [MemberData(nameof(TamperedAgreeing))]
    public void TamperedTrace_IsInvalid_AtTheEventSidClawsVerifyNames_WithTheSameHashes(string detail, string verify, string code)
    {
        var server = SidClawCaptures.Verify(verify);
        Assert.False(server.Verified);

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.Bytes(detail));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        var trace = Assert.Single(report.Items);
        Assert.Equal(server.BrokenEventId, trace.FirstBrokenEvent?.EventId);
        var error = Assert.Single(report.AllFindings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(code, error.Code);
        Assert.Equal(server.BrokenEventId, error.EventId);
        Assert.Equal(server.ExpectedHash, error.Expected);
        Assert.Equal(server.ActualHash, error.Actual);
        Assert.Equal($"/events/{trace.FirstBrokenEvent!.EntryIndex}/integrity_hash", error.Location);
    }

    [Fact]
    public void HashFieldReplaced_TheNextEventShowsTheEventsFieldsAreIntact()
    {
        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.Bytes("79-tamper-8-hash-field-detail.body.json"));

        Assert.Equal(
            [VendorFindingCodes.IntegrityHashMismatch, VendorFindingCodes.StoredHashReplaced],
            report.AllFindings.Select(f => f.Code));
        Assert.Equal("0000000000000000000000000000000000000000000000000000000000000000", report.AllFindings.First().Actual);
        Assert.Equal(report.AllFindings.First().Expected, report.AllFindings.Last().Expected);
    }

    [Theory]
    [InlineData("58-quirk-lone-surrogate-detail.body.json", "description", 17, "\\ud800")]
    [InlineData("61-quirk-emoji-at-80-detail.body.json", "description", 87, "\\ud83d")]
    public void QuirkTrace_NamesTheVendorDefect_AndIsStillInvalid(string detail, string member, int offset, string escape)
    {
        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.Bytes(detail));

        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.VendorEncodingDefect, finding.Code);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Contains($"Its {member} holds U+FFFD at UTF-16 offset {offset} where SidClaw hashed the lone surrogate {escape}", finding.Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(CheckState.Failed, report.StateOf(VendorCheckNames.Hashes));
        Assert.Equal(CheckState.Passed, report.StateOf(VendorCheckNames.Chain));
    }

    [Fact]
    public void TimestampPlusOneMillisecond_IsInvalidAtTheEditedEvent_WhereSidClawsVerifyNamesTheNextOne()
    {
        // tamper.txt case 3: event 3's timestamp + 1 ms equals event 4's. SidClaw's verify orders the tie arbitrarily and
        // named event 4 (operation_allowed); the links show that event 3 (policy_evaluated) is the one that changed.
        var server = SidClawCaptures.Verify("68-tamper-3-timestamp-plus-1ms-verify.body.json");
        var detail = SidClawCaptures.Json("69-tamper-3-timestamp-plus-1ms-detail.body.json");
        var events = detail["events"]!.AsArray();
        var edited = events.Single(e => e!["event_type"]!.GetValue<string>() == "policy_evaluated")!;
        Assert.Equal("operation_allowed", events.Single(e => e!["id"]!.GetValue<string>() == server.BrokenEventId)!["event_type"]!.GetValue<string>());

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.Bytes("69-tamper-3-timestamp-plus-1ms-detail.body.json"));

        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.IntegrityHashMismatch, finding.Code);
        Assert.Equal(edited["id"]!.GetValue<string>(), finding.EventId);
        Assert.Equal(edited["integrity_hash"]!.GetValue<string>(), finding.Actual);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public void SoftDeletedEvent_BreaksTheDocumentsChain_ThoughSidClawsVerifyCountsTheHiddenRow()
    {
        // tamper.txt case 6: deleted_at set on event 3. The server's verify still reads the row (verified, 5/5); the trace
        // document no longer shows it, so what the auditor holds does not chain.
        var server = SidClawCaptures.Verify("74-tamper-6-soft-delete-verify.body.json");
        Assert.True(server.Verified);
        Assert.Equal(5, server.VerifiedEvents);

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.Bytes("75-tamper-6-soft-delete-detail.body.json"));

        var trace = Assert.Single(report.Items);
        Assert.Equal(4, trace.Events);
        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.IntegrityHashMismatch, finding.Code);
        Assert.Contains("or an event before it is missing", finding.Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public void SeededTraceWithoutHashes_IsUntrusted_ListingEveryEvent_AndAPinCannotMakeItValid()
    {
        var server = SidClawCaptures.Verify("36-verify-seeded-no-hashes.body.json");
        var bytes = SidClawCaptures.Bytes("11-trace-detail-seeded-no-hashes.body.json");

        var report = new SidClawVerifier().VerifyTraceDocument(bytes);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        var trace = Assert.Single(report.Items);
        Assert.Equal(server.TotalEvents, trace.Events);
        Assert.Equal(server.VerifiedEvents, trace.HashedEvents);
        Assert.Equal(
            [.. Enumerable.Repeat(VendorFindingCodes.UnhashedEvent, 6), VendorFindingCodes.NoHashedEvents],
            report.AllFindings.Select(f => f.Code));
        Assert.Equal(
            SidClawCaptures.Json("11-trace-detail-seeded-no-hashes.body.json")["events"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()),
            report.AllFindings.Take(6).Select(f => f.EventId));
        Assert.Equal(CheckState.Failed, report.StateOf(VendorCheckNames.Coverage));
        Assert.Equal(CheckState.NotRun, report.StateOf(VendorCheckNames.Trust));

        var pinned = new SidClawVerifier(SidClawHeadPins.Create([new("trace-003", new string('a', 64))])).VerifyTraceDocument(bytes);
        Assert.Equal(Verdict.Invalid, pinned.Verdict);
        Assert.Contains(pinned.AllFindings, f => f.Code == VendorFindingCodes.HeadMismatch);
    }

    [Theory]
    [InlineData("38-trace-export-approved.body.json")]
    [InlineData("39-trace-export-format-json.body.json")]
    public void SingleTraceExport_IsRecognised_AndPointsToTheDocumentsThatCarryHashes(string file)
    {
        var bytes = SidClawCaptures.Bytes(file);
        Assert.True(SidClawVerifier.IsTraceExport(bytes));

        var report = new SidClawVerifier().VerifyTraceDocument(bytes);

        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(FindingCodes.Malformed, finding.Code);
        Assert.Equal(SidClawVerifier.TraceExportExplanation, finding.Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.All(report.Checks, c => Assert.NotEqual(CheckState.Passed, c.State));
    }

    [Fact]
    public void TraceDocuments_AreNotMistakenForTheSingleTraceExport()
    {
        Assert.False(SidClawVerifier.IsTraceExport(SidClawCaptures.Bytes("03-trace-detail-allow_success.body.json")));
        Assert.False(SidClawVerifier.IsTraceExport(SidClawCaptures.Bytes("45-audit-export-json.body.json")));
    }
}
