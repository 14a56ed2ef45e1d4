using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Traces.Extensions.AI.Recording;
using Traces.Verification.Reports;

namespace Traces.Extensions.AI.Tests;

/// <summary>A Microsoft Agent Framework agent (the real <see cref="ChatClientAgent"/>) whose runs are each recorded as one sealed trace.</summary>
public sealed class AgentRecordingTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private static readonly string[] s_runLines =
    [
        "attestation 1",
        "THOUGHT " + WeatherScript.Reasoning,
        "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_weather\"}",
        "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_time\"}",
        "OBSERVATION Sunny, 21 °C",
        "OBSERVATION 14:05",
        "OUTPUT " + WeatherScript.Answer,
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_IsOneSealedTrace_WithTheRunAttestedAndEachStepInOrder()
    {
        var recorders = new List<TraceRecorder>();
        var agent = WeatherAgent(new ScriptedChatClient(WeatherScript.ToolTurn(), WeatherScript.AnswerTurn())).WithTracesRecording(RecorderPerRun(recorders));

        var response = await agent.RunAsync(WeatherScript.Question, cancellationToken: Ct);

        Assert.Equal(WeatherScript.Answer, response.Text);
        var recorder = Assert.Single(recorders);
        Assert.True(recorder.IsSealed);
        var record = await server.ReadSealedAsync(recorder.TraceId!, Ct);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(s_runLines, record.Lines);
        var attestation = record.Attestation(0);
        Assert.Equal("agent.run", attestation.GetProperty("type").GetString());
        Assert.Equal("scripted", attestation.GetProperty("model_provider").GetString());
        Assert.Equal("scripted-model-1", attestation.GetProperty("model_name").GetString());
        Assert.Equal(
            """{"content_policy":"full","messages":[{"contents":[{"text":"What is the weather in Paris, and what time is it there?","type":"text"}],"role":"user"}],"model_call":1}""",
            attestation.GetProperty("input").GetString());
        var output = JsonDocument.Parse(attestation.GetProperty("output").GetString()!).RootElement;
        Assert.Equal(240, output.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal(["assistant", "tool", "assistant"], output.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
    }

    [Fact]
    public async Task TwoRuns_AreTwoTraces()
    {
        var recorders = new List<TraceRecorder>();
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("One.")), ScriptedTurn.Reply("resp_2", new TextContent("Two.")));
        var agent = WeatherAgent(model).WithTracesRecording(RecorderPerRun(recorders));

        await agent.RunAsync("First.", cancellationToken: Ct);
        await agent.RunAsync("Second.", cancellationToken: Ct);

        Assert.Equal(2, recorders.Count);
        Assert.NotEqual(recorders[0].TraceId, recorders[1].TraceId);
        Assert.Equal(["attestation 1", "OUTPUT One."], (await server.ReadSealedAsync(recorders[0].TraceId!, Ct)).Lines);
        Assert.Equal(["attestation 1", "OUTPUT Two."], (await server.ReadSealedAsync(recorders[1].TraceId!, Ct)).Lines);
    }

    [Fact]
    public async Task StreamingRun_IsRecordedOnceTheStreamEnds()
    {
        var recorders = new List<TraceRecorder>();
        var agent = WeatherAgent(new ScriptedChatClient(WeatherScript.ToolTurn(), WeatherScript.AnswerTurn())).WithTracesRecording(RecorderPerRun(recorders));

        var text = new System.Text.StringBuilder();
        await foreach (var update in agent.RunStreamingAsync(WeatherScript.Question, cancellationToken: Ct))
        {
            text.Append(update.Text);
        }

        Assert.Equal(WeatherScript.Answer, text.ToString());
        var record = await server.ReadSealedAsync(Assert.Single(recorders).TraceId!, Ct);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(s_runLines, record.Lines);
        Assert.Equal("streamed", JsonDocument.Parse(record.Attestation(0).GetProperty("output").GetString()!).RootElement.GetProperty("completion").GetString());
    }

    [Fact]
    public async Task FailedRun_IsRecordedAndSealed_AndItsExceptionReachesTheCaller()
    {
        var recorders = new List<TraceRecorder>();
        var failure = new HttpRequestException("The model endpoint returned 503.");
        var agent = WeatherAgent(new ScriptedChatClient(new ScriptedTurn(Failure: failure))).WithTracesRecording(RecorderPerRun(recorders));

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => agent.RunAsync(WeatherScript.Question, cancellationToken: Ct));

        Assert.Same(failure, thrown);
        var record = await server.ReadSealedAsync(Assert.Single(recorders).TraceId!, Ct);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(["ERROR The model endpoint returned 503."], record.Lines);
    }

    private static ChatClientAgent WeatherAgent(IChatClient model) =>
        new(model, instructions: "Answer weather questions with the tools.", name: "weather-agent", tools: [WeatherScript.Weather, WeatherScript.Time]);

    private Func<TraceRecorder> RecorderPerRun(List<TraceRecorder> recorders) => () =>
    {
        var recorder = server.NewRecorder(o => o.AttestationType = "agent.run");
        recorders.Add(recorder);
        return recorder;
    };
}
