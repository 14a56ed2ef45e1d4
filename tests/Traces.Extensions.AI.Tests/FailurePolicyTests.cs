using System.Text.Json;
using Microsoft.Extensions.AI;
using Traces.Extensions.AI.Recording;
using Traces.Extensions.AI.Sinks;
using Traces.Verification.Reports;

namespace Traces.Extensions.AI.Tests;

/// <summary>What happens when the record cannot be written: never a silent gap.</summary>
public sealed class FailurePolicyTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Throw_CallFailsWithTheRecordingError_AndTheEntriesAreWrittenInOrderLater()
    {
        var sink = new FlakySink(new TracesClientRecordingSink(server.Client)) { Down = true };
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("First answer.")), ScriptedTurn.Reply("resp_2", new TextContent("Second answer.")));
        var recorder = server.NewRecorder(o => o.FailurePolicy = RecordingFailurePolicy.Throw, sink);
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        var error = await Assert.ThrowsAsync<TraceRecordingException>(() => client.GetResponseAsync("First question.", cancellationToken: Ct));
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(2, error.PendingEntries);
        Assert.Null(error.TraceId);
        Assert.Equal(2, recorder.PendingCount);

        sink.Down = false;
        var second = await client.GetResponseAsync("Second question.", cancellationToken: Ct);
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal("Second answer.", second.Text);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(
            [
                "attestation 1",
                "OUTPUT First answer.",
                "ERROR The 2 entries before this one were recorded late: writing them first failed (HttpRequestException: Connection refused (traces.example:443)), and they were retried in order.",
                "attestation 2",
                "OUTPUT Second answer.",
            ],
            record.Lines);
        Assert.Equal(
            """{"content_policy":"none","entries":2,"error":"recording_delayed","exception_type":"System.Net.Http.HttpRequestException","indexes":[0,1]}""",
            Content.ChatRendering.Canonical(System.Text.Json.Nodes.JsonNode.Parse(record.Metadata(2))));
        Assert.Equal(1, recorder.FailureCount);
    }

    [Fact]
    public async Task LogAndContinue_TheAgentGoesOn_AndSealingWritesWhatWaited()
    {
        var sink = new FlakySink(new TracesClientRecordingSink(server.Client)) { Down = true };
        var turn = ScriptedTurn.Reply("resp_1", new TextContent("Answer while the service is down."));
        var model = new ScriptedChatClient(turn);
        var recorder = server.NewRecorder(o => o.FailurePolicy = RecordingFailurePolicy.LogAndContinue, sink);
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        var response = await client.GetResponseAsync("Question.", cancellationToken: Ct);

        Assert.Same(turn.Response, response);
        Assert.Equal(1, recorder.FailureCount);
        Assert.Equal(2, recorder.PendingCount);
        Assert.Empty(recorder.Transcript.Entries);

        sink.Down = false;
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(0, recorder.PendingCount);
        Assert.Equal(
            [
                "attestation 1",
                "OUTPUT Answer while the service is down.",
                "ERROR The 2 entries before this one were recorded late: writing them first failed (HttpRequestException: Connection refused (traces.example:443)), and they were retried in order.",
            ],
            record.Lines);
    }

    [Fact]
    public async Task Seal_WhileEntriesCannotBeWritten_Throws_AndLeavesTheTraceOpenToSealLater()
    {
        var sink = new FlakySink(new TracesClientRecordingSink(server.Client));
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("Recorded.")), ScriptedTurn.Reply("resp_2", new TextContent("Not yet recorded.")));
        var recorder = server.NewRecorder(o => o.FailurePolicy = RecordingFailurePolicy.LogAndContinue, sink);
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();
        await client.GetResponseAsync("One.", cancellationToken: Ct);
        sink.Down = true;
        await client.GetResponseAsync("Two.", cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<TraceRecordingException>(() => recorder.SealAsync(Ct));

        Assert.Equal(recorder.TraceId, error.TraceId);
        Assert.Equal(2, error.PendingEntries);
        Assert.False(recorder.IsSealed);
        var open = await server.Client.Traces.GetAsync(recorder.TraceId!, Ct);
        Assert.Equal("open", open.Status?.Value);

        sink.Down = false;
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(["attestation 1", "OUTPUT Recorded.", "attestation 2", "OUTPUT Not yet recorded."], record.Lines.Take(4));
        Assert.StartsWith("ERROR The 2 entries before this one were recorded late", record.Lines[4], StringComparison.Ordinal);
        Assert.Equal(5, record.Lines.Count);
    }

    [Fact]
    public async Task EntryTheServiceRefuses_IsReplacedByAnErrorStepSayingWhatIsMissing()
    {
        // A tool result larger than the service accepts for one entry (256 KB): the step, and the next call's
        // attestation that carries it, can never be written.
        var huge = new string('x', 300 * 1024);
        var dump = AIFunctionFactory.Create(() => huge, "dump_logs");
        var model = new ScriptedChatClient(
            ScriptedTurn.Reply("resp_1", new FunctionCallContent("call_1", "dump_logs", new Dictionary<string, object?>())),
            ScriptedTurn.Reply("resp_2", new TextContent("The logs are long.")));
        var recorder = server.NewRecorder(o => o.FailurePolicy = RecordingFailurePolicy.LogAndContinue);
        using var client = model.AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();

        await client.GetResponseAsync("Dump the logs.", new ChatOptions { Tools = [dump] }, Ct);
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(["attestation 1", "ACTION {\"arguments\":{},\"name\":\"dump_logs\"}"], record.Lines.Take(2));
        Assert.StartsWith("ERROR One OBSERVATION step could not be recorded: the service refused it (TracesValidationException: ", record.Lines[2], StringComparison.Ordinal);
        Assert.StartsWith("ERROR One attestation could not be recorded: the service refused it (TracesValidationException: ", record.Lines[3], StringComparison.Ordinal);
        Assert.Equal("OUTPUT The logs are long.", record.Lines[4]);
        Assert.Equal(5, record.Lines.Count);
        var gap = record.Payload(2).GetProperty("metadata");
        Assert.Equal("recording_gap", gap.GetProperty("error").GetString());
        Assert.Equal("""["OBSERVATION step"]""", gap.GetProperty("missing").GetRawText());
        Assert.Equal(2, recorder.FailureCount);
    }

    [Fact]
    public async Task FullQueue_DropsFurtherEntries_AndOneErrorStepCountsThem()
    {
        var sink = new FlakySink(new TracesClientRecordingSink(server.Client)) { Down = true };
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextReasoningContent("Thinking."), new TextContent("Answer.")));
        var recorder = server.NewRecorder(o => { o.FailurePolicy = RecordingFailurePolicy.LogAndContinue; o.MaxPendingEntries = 2; }, sink);
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        await client.GetResponseAsync("Question.", cancellationToken: Ct);
        sink.Down = false;
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(
            [
                "attestation 1",
                "THOUGHT Thinking.",
                "ERROR The 2 entries before this one were recorded late: writing them first failed (HttpRequestException: Connection refused (traces.example:443)), and they were retried in order.",
                "ERROR 1 entries were not recorded: too many were waiting for the service (1 × OUTPUT step).",
            ],
            record.Lines);
        Assert.Equal("""[{"count":1,"entry":"OUTPUT step"}]""", JsonSerializer.Serialize(record.Payload(3).GetProperty("metadata").GetProperty("missing")));
    }

    [Fact]
    public async Task ModelFailure_WhileTheServiceIsDown_TheCallerGetsTheModelsException_AndSealingSurfacesTheGap()
    {
        var sink = new FlakySink(new TracesClientRecordingSink(server.Client)) { Down = true };
        var failure = new TimeoutException("The model timed out.");
        var model = new ScriptedChatClient(new ScriptedTurn(Failure: failure));
        var recorder = server.NewRecorder(o => o.FailurePolicy = RecordingFailurePolicy.Throw, sink);
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        var thrown = await Assert.ThrowsAsync<TimeoutException>(() => client.GetResponseAsync("Question.", cancellationToken: Ct));
        var sealError = await Assert.ThrowsAsync<TraceRecordingException>(() => recorder.SealAsync(Ct));

        Assert.Same(failure, thrown);
        Assert.Equal(1, sealError.PendingEntries);
        sink.Down = false;
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);
        Assert.Equal("ERROR The model timed out.", record.Lines[0]);
    }
}
