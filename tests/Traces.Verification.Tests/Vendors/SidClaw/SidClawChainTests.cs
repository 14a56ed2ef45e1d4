using System.Text.Json.Nodes;
using Traces.Verification.Reports;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Verification.Tests.Vendors.SidClaw;

/// <summary>What an edit of a captured event does, and how the chain decides the order of events.</summary>
public class SidClawChainTests
{
    private const string Detail = "03-trace-detail-allow_success.body.json";

    public static TheoryData<int, string> CoveredFieldEdits()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < 7; i++)
        {
            foreach (var member in new[] { "id", "event_type", "actor_type", "actor_name", "description", "status", "timestamp" })
            {
                data.Add(i, member);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CoveredFieldEdits))]
    public void EditOfACoveredField_IsInvalidAtThatEvent(int index, string member)
    {
        var document = SidClawCaptures.Json(Detail);
        var e = document["events"]!.AsArray()[index]!.AsObject();
        var original = e["id"]!.GetValue<string>();
        e[member] = member == "timestamp"
            ? DateTimeOffset.Parse(e[member]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).AddMilliseconds(1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture)
            : e[member]!.GetValue<string>() + "x";

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.ToBytes(document));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        var error = Assert.Single(report.AllFindings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(VendorFindingCodes.IntegrityHashMismatch, error.Code);
        Assert.Equal(member == "id" ? original + "x" : original, error.EventId);
        Assert.Equal(e["integrity_hash"]!.GetValue<string>(), error.Actual);
        Assert.Equal(index, report.Items[0].FirstBrokenEvent!.EntryIndex);
    }

    [Theory]
    [InlineData("metadata")]
    [InlineData("policy_version")]
    [InlineData("approval_request_id")]
    public void EditOfAnUncoveredMember_IsNotDetectable_AndTheReportSaysWhichMembersAreCovered(string member)
    {
        var document = SidClawCaptures.Json(Detail);
        foreach (var e in document["events"]!.AsArray())
        {
            e![member] = member == "metadata" ? new JsonObject { ["forged"] = true } : member == "policy_version" ? 99 : "forged";
        }

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.ToBytes(document));

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        Assert.Equal([VendorFindingCodes.HeadNotPinned], report.AllFindings.Select(f => f.Code));
        var hashes = report.Checks.Single(c => c.Name == VendorCheckNames.Hashes);
        Assert.Contains("JSON.stringify({id, trace_id, event_type, actor_type, actor_name, description, status, timestamp, previous_hash})", hashes.Detail);
        Assert.Contains("Not covered, so an edit of them is not detectable: metadata, policy_version, approval_request_id, agent_id", hashes.Detail);
    }

    [Fact]
    public void EditOfTheDocumentsTraceId_BreaksEveryEvent()
    {
        var document = SidClawCaptures.Json(Detail);
        document["id"] = "another-trace";

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.ToBytes(document));

        Assert.Equal(7, report.AllFindings.Count(f => f.Code == VendorFindingCodes.IntegrityHashMismatch));
        Assert.Equal(0, report.Items[0].FirstBrokenEvent!.EntryIndex);
    }

    [Fact]
    public void LastEventWithoutHash_IsUntrustedEvenWithTheHeadPinned()
    {
        var document = SidClawCaptures.Json(Detail);
        var events = document["events"]!.AsArray();
        events[^1]!["integrity_hash"] = null;
        var head = events[^2]!["integrity_hash"]!.GetValue<string>();

        var report = new SidClawVerifier(SidClawHeadPins.Create([new(document["id"]!.GetValue<string>(), head)]))
            .VerifyTraceDocument(SidClawCaptures.ToBytes(document));

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(VendorFindingCodes.UnhashedEvent, finding.Code);
        Assert.Equal(events[^1]!["id"]!.GetValue<string>(), finding.EventId);
        Assert.Equal(6, report.Items[0].HashedEvents);
        Assert.Equal(CheckState.Passed, report.StateOf(VendorCheckNames.Trust));
        Assert.Equal(CheckState.Failed, report.StateOf(VendorCheckNames.Coverage));
    }

    [Fact]
    public void EventsWithTheSameTimestamp_ListedInEitherOrder_AreOrderedByTheirLinks()
    {
        // Four events in one millisecond, listed backwards: SidClaw's own verify (timestamp order, no tie-break) may
        // walk them in this order and fail; the links give the one order that chains.
        var events = SidClawSynthetic.Trace("t-tie", 6, i => i is >= 1 and <= 4 ? 1 : i);
        var listed = new[] { events[0], events[4], events[3], events[2], events[1], events[5] };
        var pins = SidClawHeadPins.Create([new("t-tie", events[5]["integrity_hash"]!.GetValue<string>())]);

        var report = new SidClawVerifier(pins).VerifyTraceDocument(SidClawSynthetic.Document("t-tie", listed));

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.AllFindings);
    }

    [Fact]
    public void TiedEvents_OneEdited_TheEditedOneIsNamed_WhateverTheListingOrder()
    {
        var events = SidClawSynthetic.Trace("t-tie", 5, i => i is 2 or 3 ? 2 : i);
        events[2]["status"] = "forged";
        foreach (var listed in new[] { events, [events[0], events[1], events[3], events[2], events[4]] })
        {
            var report = new SidClawVerifier().VerifyTraceDocument(SidClawSynthetic.Document("t-tie", listed));

            var error = Assert.Single(report.AllFindings, f => f.Severity == FindingSeverity.Error);
            Assert.Equal(VendorFindingCodes.IntegrityHashMismatch, error.Code);
            Assert.Equal("t-tie-e2", error.EventId);
        }
    }

    [Fact]
    public void TiedEvents_WhoseOrderTheLinksCannotDecide_AreReportedNotGuessed()
    {
        // Both events of the tie are edited: neither links to the chain, neither leads to the other.
        var events = SidClawSynthetic.Trace("t-tie", 5, i => i is 2 or 3 ? 2 : i);
        events[2]["status"] = "forged";
        events[3]["status"] = "forged";

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawSynthetic.Document("t-tie", events));

        var error = Assert.Single(report.AllFindings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(VendorFindingCodes.OrderUnresolved, error.Code);
        Assert.Contains("Events t-tie-e2, t-tie-e3 share the timestamp", error.Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(CheckState.Failed, report.StateOf(VendorCheckNames.Chain));
    }

    [Fact]
    public void RemovedEvent_LeavesTheNextOneLinkedToAHashTheDocumentLacks()
    {
        var events = SidClawSynthetic.Trace("t-gap", 6);
        events.RemoveAt(3);

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawSynthetic.Document("t-gap", events));

        var error = Assert.Single(report.AllFindings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(VendorFindingCodes.IntegrityHashMismatch, error.Code);
        Assert.Equal("t-gap-e4", error.EventId);
    }

    [Fact]
    public void DuplicatedEvent_IsABrokenLink_NamingTheHashItReallyFollows()
    {
        // A copy of event 2 under a new id, rehashed over event 1's hash, inserted after event 2: it chains from the
        // wrong predecessor.
        var events = SidClawSynthetic.Trace("t-dup", 5, i => i * 10);
        var copy = (JsonObject)events[2].DeepClone();
        copy["id"] = "t-dup-copy";
        copy["timestamp"] = Traces.Verification.Canonicalization.EcmaScriptDate.ToIsoString(SidClawSynthetic.Start.AddMilliseconds(25));
        copy["integrity_hash"] = SidClawSynthetic.Hash("t-dup", copy, events[1]["integrity_hash"]!.GetValue<string>());
        events.Insert(3, copy);

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawSynthetic.Document("t-dup", events));

        var errors = report.AllFindings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        Assert.Equal(FindingCodes.ChainBroken, errors[0].Code);
        Assert.Equal("t-dup-copy", errors[0].EventId);
        Assert.Contains($"the hash of an earlier event ({events[1]["integrity_hash"]!.GetValue<string>()})", errors[0].Message);
    }

    [Fact]
    public void FirstEventRemoved_TheNextIsABrokenLinkOnlyIfItStillHashesOverGenesis()
    {
        var events = SidClawSynthetic.Trace("t-first", 4);
        events.RemoveAt(0);

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawSynthetic.Document("t-first", events));

        var error = Assert.Single(report.AllFindings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal(VendorFindingCodes.IntegrityHashMismatch, error.Code);
        Assert.Equal("t-first-e1", error.EventId);
    }

    [Theory]
    [InlineData("{}", "A SidClaw trace document has a string 'id' and an 'events' array.")]
    [InlineData("[]", "A SidClaw trace document is a JSON object.")]
    [InlineData("{\"id\":\"t\",\"events\":{}}", "The trace document's 'events' is repeated or not an array.")]
    [InlineData("{\"id\":1,\"events\":[]}", "The trace document's 'id' is missing, repeated or not a string.")]
    public void MalformedDocument_IsInvalid_WithNoCheckPassed(string json, string message)
    {
        var report = new SidClawVerifier().VerifyTraceDocument(System.Text.Encoding.UTF8.GetBytes(json));

        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(FindingCodes.Malformed, finding.Code);
        Assert.Equal(message, finding.Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.DoesNotContain(report.Checks, c => c.State == CheckState.Passed);
    }

    [Theory]
    [InlineData("{\"id\":\"t\",\"events\":[{\"id\":\"e\"", "The document is not valid JSON")]
    [InlineData("{\"id\":\"t\",\"events\":[]} x", "The document is not valid JSON")]
    public void TruncatedOrTrailingJson_IsMalformed(string json, string start)
    {
        var report = new SidClawVerifier().VerifyTraceDocument(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.StartsWith(start, Assert.Single(report.AllFindings).Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public void EventWithAMissingOrNonStringCoveredMember_IsMalformedAtThatEvent()
    {
        var document = SidClawCaptures.Json(Detail);
        var events = document["events"]!.AsArray();
        events[2]!.AsObject().Remove("status");
        events[4]!["timestamp"] = "2026-12-02T06:27:08.525+00:00";

        var report = new SidClawVerifier().VerifyTraceDocument(SidClawCaptures.ToBytes(document));

        var malformed = report.AllFindings.Where(f => f.Code == FindingCodes.Malformed).ToList();
        Assert.Equal(2, malformed.Count);
        Assert.Equal("Event /events/2 (c6550f78-a4f1-457f-ae0e-cf53b1fdba3a) lacks status (a string the hash covers).", malformed[0].Message);
        Assert.Contains("is not in Date.prototype.toISOString form", malformed[1].Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(7, report.Items[0].Events);
    }

    [Fact]
    public void EscapedLoneSurrogate_IsReadAsJsonParseReadsIt_SoTheDefectsOriginalTextVerifies()
    {
        // Putting the lone surrogate back (as SidClaw had it in memory) reproduces the stored hash: the formula is right
        // and the stored U+FFFD is the only difference.
        var text = System.Text.Encoding.UTF8.GetString(SidClawCaptures.Bytes("58-quirk-lone-surrogate-detail.body.json"))
            .Replace("x\uFFFDy", "x\\ud800y", StringComparison.Ordinal);
        var traceId = SidClawCaptures.TraceId("58-quirk-lone-surrogate-detail.body.json");

        var report = new SidClawVerifier(SidClawHeadPins.Create([new(traceId, SidClawCaptures.LastHash("58-quirk-lone-surrogate-detail.body.json"))]))
            .VerifyTraceDocument(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Equal(Verdict.Valid, report.Verdict);
    }
}
