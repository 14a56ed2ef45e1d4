using System.Text.Json;
using Microsoft.Extensions.AI;
using Traces.Extensions.AI.Content;
using Traces.Extensions.AI.Transcripts;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;

namespace Traces.Extensions.AI.Tests;

/// <summary>Hash-only and redacted records, and a disclosed transcript checked against a sealed hash-only record.</summary>
public sealed class ContentPolicyTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private const string FirstRequestMessages = """[{"contents":[{"text":"What is the weather in Paris, and what time is it there?","type":"text"}],"role":"user"}]""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HashOnly_RecordsOnlyDigests_AndNoContentLeavesTheProcess()
    {
        var (record, _) = await RecordWeatherAsync(ContentPolicy.HashOnly);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(
            WeatherScript.RecordedLines.Select(line => line.StartsWith("attestation", StringComparison.Ordinal) ? line : HashLine(line)),
            record.Lines);
        Assert.Equal(
            $$"""{"content_policy":"sha256","messages":"{{ContentPolicy.Sha256Of(FirstRequestMessages)}}","model_call":1,"tools":["get_weather","get_time"]}""",
            record.Attestation(0).GetProperty("input").GetString());
        var output = JsonDocument.Parse(record.Attestation(0).GetProperty("output").GetString()!).RootElement;
        Assert.Equal(120, output.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("sha256", record.Payload(1).GetProperty("metadata").GetProperty("content_policy").GetString());

        // What the user asked, the tools' answers and the model's words appear nowhere in the bundle.
        var bundleJson = JsonSerializer.Serialize(record.Bundle, TracesJsonContext.Default.ProofBundle);
        foreach (var secret in new[] { "Paris", "Sunny", "14:05", "sunny" })
        {
            Assert.DoesNotContain(secret, bundleJson, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task HashOnly_DisclosedTranscript_MatchesTheSealedRecord()
    {
        var (record, transcript) = await RecordWeatherAsync(ContentPolicy.HashOnly);

        // Disclosed later, as a file: read back from its JSON.
        var disclosed = AgentTranscript.Parse(transcript.ToJson());
        var result = TranscriptVerifier.Check(record.Bundle, disclosed);

        Assert.True(result.IsMatch);
        Assert.Empty(result.Findings);
        Assert.Equal(8, result.CheckedEntries);
        Assert.Equal(WeatherScript.Question, JsonDocument.Parse(disclosed.Entries[0].Input!).RootElement.GetProperty("messages")[0].GetProperty("contents")[0].GetProperty("text").GetString());
        Assert.Equal("Sunny, 21 °C", disclosed.Entries[4].Content);
    }

    [Fact]
    public async Task HashOnly_AlteredTranscript_IsCaughtAtTheAlteredEntry()
    {
        var (record, transcript) = await RecordWeatherAsync(ContentPolicy.HashOnly);
        var entries = transcript.Entries.ToList();
        entries[4] = Copy(entries[4], content: "Rainy, 9 °C");
        entries[6] = Copy(entries[6], input: entries[6].Input!.Replace("14:05", "09:00", StringComparison.Ordinal));

        var result = TranscriptVerifier.Check(record.Bundle, new AgentTranscript { TraceId = transcript.TraceId, Entries = entries });

        Assert.False(result.IsMatch);
        Assert.Equal(6, result.CheckedEntries);
        Assert.Equal(
            [(TranscriptFindingCodes.ContentMismatch, 4L), (TranscriptFindingCodes.ContentMismatch, 6L)],
            result.Findings.Select(f => (f.Code, f.Index!.Value)));
    }

    [Fact]
    public async Task HashOnly_TranscriptThatLeavesAnEntryOut_IsCaught()
    {
        var (record, transcript) = await RecordWeatherAsync(ContentPolicy.HashOnly);
        var entries = transcript.Entries.Where((_, i) => i != 2).ToList();

        var result = TranscriptVerifier.Check(record.Bundle, new AgentTranscript { TraceId = transcript.TraceId, Entries = entries });

        var finding = Assert.Single(result.Findings);
        Assert.Equal(TranscriptFindingCodes.EntryOmitted, finding.Code);
        Assert.Equal(2L, finding.Index);
        Assert.Equal(7, result.CheckedEntries);
    }

    [Fact]
    public async Task Transcript_OfAnotherTrace_OrReordered_IsCaught()
    {
        var (record, transcript) = await RecordWeatherAsync(ContentPolicy.HashOnly);
        var swapped = transcript.Entries.ToList();
        (swapped[4], swapped[5]) = (swapped[5], swapped[4]);

        var other = TranscriptVerifier.Check(record.Bundle, new AgentTranscript { TraceId = "tr_other", Entries = transcript.Entries });
        var reordered = TranscriptVerifier.Check(record.Bundle, new AgentTranscript { TraceId = transcript.TraceId, Entries = swapped });

        Assert.Equal([TranscriptFindingCodes.TraceMismatch], other.Findings.Select(f => f.Code));
        Assert.Equal([TranscriptFindingCodes.OrderMismatch], reordered.Findings.Select(f => f.Code));
        Assert.Equal(4L, reordered.Findings[0].Index);
    }

    [Fact]
    public async Task FullRecord_TranscriptMatches_AndAStepTypeChangeIsCaught()
    {
        var (record, transcript) = await RecordWeatherAsync(ContentPolicy.Full);
        var entries = transcript.Entries.ToList();
        entries[1] = new TranscriptEntry { EntryId = entries[1].EntryId, Index = entries[1].Index, Kind = entries[1].Kind, StepType = "OUTPUT", ContentPolicy = entries[1].ContentPolicy, Content = entries[1].Content };

        Assert.True(TranscriptVerifier.Check(record.Bundle, transcript).IsMatch);
        Assert.Equal([TranscriptFindingCodes.StepTypeMismatch], TranscriptVerifier.Check(record.Bundle, new AgentTranscript { TraceId = transcript.TraceId, Entries = entries }).Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Redacted_RecordsWhatTheCallbackReturns_AndTheTranscriptCannotBeCheckedAgainstIt()
    {
        var seen = new List<RedactionContext>();
        var policy = ContentPolicy.Redact(piece =>
        {
            seen.Add(piece);
            return new string([.. piece.Text.Select(c => char.IsAsciiDigit(c) ? '#' : c)]);
        });

        var (record, transcript) = await RecordWeatherAsync(policy);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(
            [
                "attestation 1",
                "THOUGHT " + WeatherScript.Reasoning,
                "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_weather\"}",
                "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_time\"}",
                "OBSERVATION Sunny, ## °C",
                "OBSERVATION ##:##",
                "attestation 2",
                "OUTPUT In Paris it is sunny, ## °C, and the local time is ##:##.",
            ],
            record.Lines);
        Assert.Contains("""{"call_id":"call_2","result":"##:##","type":"function_result"}""", record.Attestation(6).GetProperty("input").GetString(), StringComparison.Ordinal);
        Assert.Contains(seen, p => p is { Kind: ContentKind.ToolResult, Role: "tool", ToolName: "get_time", Text: "14:05" });
        Assert.Contains(seen, p => p is { Kind: ContentKind.ToolArguments, ToolName: "get_weather", Text: """{"city":"Paris"}""" });

        var result = TranscriptVerifier.Check(record.Bundle, transcript);
        Assert.False(result.IsMatch);
        Assert.Equal(0, result.CheckedEntries);
        Assert.All(result.Findings, f => Assert.Equal(TranscriptFindingCodes.NotCheckable, f.Code));
        Assert.Equal(8, result.Findings.Count);
    }

    [Fact]
    public async Task StepsWrittenAsEvents_ForInvoance_AreTheSameEntries_AndTheTranscriptChecks()
    {
        var sink = new Sinks.TracesClientRecordingSink(server.Client, stepsAsEvents: true);

        var (record, transcript) = await RecordWeatherAsync(ContentPolicy.HashOnly, sink);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(
            WeatherScript.RecordedLines.Select(line => line.StartsWith("attestation", StringComparison.Ordinal) ? line : HashLine(line)),
            record.Lines);
        Assert.True(TranscriptVerifier.Check(record.Bundle, transcript).IsMatch);
    }

    private async Task<(SealedRecord Record, AgentTranscript Transcript)> RecordWeatherAsync(ContentPolicy policy, Recording.ITraceRecordingSink? sink = null)
    {
        var model = new ScriptedChatClient(WeatherScript.ToolTurn(), WeatherScript.AnswerTurn());
        var recorder = server.NewRecorder(o => o.ContentPolicy = policy, sink);
        using var client = model.AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();
        var response = await client.GetResponseAsync(WeatherScript.Question, WeatherScript.Options, Ct);
        Assert.Equal(WeatherScript.Answer, response.Text);
        var traceId = await recorder.SealAsync(Ct);
        return (await server.ReadSealedAsync(traceId, Ct), recorder.Transcript);
    }

    private static string HashLine(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return line[..(space + 1)] + ContentPolicy.Sha256Of(line[(space + 1)..]);
    }

    private static TranscriptEntry Copy(TranscriptEntry entry, string? content = null, string? input = null) => new()
    {
        EntryId = entry.EntryId,
        Index = entry.Index,
        Kind = entry.Kind,
        StepType = entry.StepType,
        ContentPolicy = entry.ContentPolicy,
        Content = content ?? entry.Content,
        Input = input ?? entry.Input,
        Output = entry.Output,
    };
}
