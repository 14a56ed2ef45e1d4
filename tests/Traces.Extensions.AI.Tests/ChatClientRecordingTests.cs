using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Traces.Extensions.AI.ChatClients;
using Traces.Extensions.AI.Content;
using Traces.Verification.Reports;

namespace Traces.Extensions.AI.Tests;

/// <summary>The middleware, driven by a scripted model through the real function invocation loop, against the real server.</summary>
public sealed class ChatClientRecordingTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ToolLoop_RecordsEachModelCallAndToolInOrder_AndTheSealedBundleVerifies()
    {
        var model = new ScriptedChatClient(WeatherScript.ToolTurn(), WeatherScript.AnswerTurn());
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();

        var response = await client.GetResponseAsync(WeatherScript.Question, WeatherScript.Options, Ct);
        var traceId = await recorder.SealAsync(Ct);

        Assert.Equal(WeatherScript.Answer, response.Text);
        var record = await server.ReadSealedAsync(traceId, Ct);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(WeatherScript.RecordedLines, record.Lines);

        // The first model call's attestation, exactly: canonical JSON, provider and model as reported.
        var first = record.Attestation(0);
        Assert.Equal("output", first.GetProperty("type").GetString());
        Assert.Equal("scripted", first.GetProperty("model_provider").GetString());
        Assert.Equal("scripted-model-1", first.GetProperty("model_name").GetString());
        Assert.Equal(
            """{"content_policy":"full","messages":[{"contents":[{"text":"What is the weather in Paris, and what time is it there?","type":"text"}],"role":"user"}],"model_call":1,"tools":["get_weather","get_time"]}""",
            first.GetProperty("input").GetString());
        Assert.Equal(
            """{"content_policy":"full","finish_reason":"tool_calls","messages":[{"contents":[{"text":"The user asks about Paris: I need the weather and the local time.","type":"reasoning"},{"arguments":{"city":"Paris"},"call_id":"call_1","name":"get_weather","type":"function_call"},{"arguments":{"city":"Paris"},"call_id":"call_2","name":"get_time","type":"function_call"}],"role":"assistant"}],"model_call":1,"response_id":"resp_1","usage":{"input_tokens":100,"output_tokens":20,"total_tokens":120}}""",
            first.GetProperty("output").GetString());

        // The second call's request is the whole tool loop so far, as the model was sent it.
        Assert.Equal(
            """{"content_policy":"full","messages":[{"contents":[{"text":"What is the weather in Paris, and what time is it there?","type":"text"}],"role":"user"},{"contents":[{"text":"The user asks about Paris: I need the weather and the local time.","type":"reasoning"},{"arguments":{"city":"Paris"},"call_id":"call_1","name":"get_weather","type":"function_call"},{"arguments":{"city":"Paris"},"call_id":"call_2","name":"get_time","type":"function_call"}],"role":"assistant"},{"contents":[{"call_id":"call_1","result":"Sunny, 21 °C","type":"function_result"},{"call_id":"call_2","result":"14:05","type":"function_result"}],"role":"tool"}],"model_call":2,"tools":["get_weather","get_time"]}""",
            record.Attestation(6).GetProperty("input").GetString());

        Assert.Equal("""{"content_policy":"full","model_call":1}""", record.Metadata(1));
        Assert.Equal("""{"call_id":"call_1","content_policy":"full","model_call":1,"tool":"get_weather"}""", Canonical(record.Metadata(2)));
        Assert.Equal("""{"call_id":"call_2","content_policy":"full","tool":"get_time"}""", Canonical(record.Metadata(5)));
    }

    [Fact]
    public async Task Response_IsReturnedUnchanged()
    {
        var turn = ScriptedTurn.Reply("resp_x", new TextContent("Hello."));
        var model = new ScriptedChatClient(turn);
        var recorder = server.NewRecorder();
        using var client = new TracesRecordingChatClient(model, recorder);

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Same(turn.Response, response);
        Assert.Same(recorder, client.GetService<Recording.TraceRecorder>());
    }

    [Fact]
    public async Task Streaming_PassesEveryUpdateThrough_AndRecordsTheSameEntriesOnceTheStreamEnds()
    {
        var model = new ScriptedChatClient(WeatherScript.ToolTurn(), WeatherScript.AnswerTurn());
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();

        var seen = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(WeatherScript.Question, WeatherScript.Options, Ct))
        {
            seen.Add(update);
        }

        var traceId = await recorder.SealAsync(Ct);
        var record = await server.ReadSealedAsync(traceId, Ct);

        Assert.Equal(WeatherScript.Answer, seen.ToChatResponse().Text);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(WeatherScript.RecordedLines, record.Lines);
        var output = JsonDocument.Parse(record.Attestation(6).GetProperty("output").GetString()!).RootElement;
        Assert.Equal("streamed", output.GetProperty("completion").GetString());
        Assert.Equal("stop", output.GetProperty("finish_reason").GetString());
        Assert.Equal(120, output.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task FailingTool_IsRecordedAsAnError_AndTheModelIsToldAsFunctionInvocationTellsIt()
    {
        var broken = AIFunctionFactory.Create(string (string city) => throw new InvalidOperationException("Weather service unavailable for " + city), "get_weather");
        var model = new ScriptedChatClient(
            ScriptedTurn.Reply("resp_1", new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })),
            ScriptedTurn.Reply("resp_2", new TextContent("I could not get the weather.")));
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();

        await client.GetResponseAsync(WeatherScript.Question, new ChatOptions { Tools = [broken] }, Ct);
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(
            [
                "attestation 1",
                "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_weather\"}",
                "ERROR Weather service unavailable for Paris",
                "attestation 2",
                "OUTPUT I could not get the weather.",
            ],
            record.Lines);
        Assert.Equal(
            """{"call_id":"call_1","content_policy":"full","error":"tool_failed","exception_type":"System.InvalidOperationException","tool":"get_weather"}""",
            Canonical(record.Metadata(2)));
        var toolMessage = model.Requests[1][^1];
        Assert.Contains("""{"call_id":"call_1","result":"Error: Function failed.","type":"function_result"}""", record.Attestation(3).GetProperty("input").GetString(), StringComparison.Ordinal);
        Assert.Equal("Error: Function failed.", toolMessage.Contents.OfType<FunctionResultContent>().Single().Result);
    }

    [Fact]
    public async Task FailingModelCall_IsRecordedAsAnError_AndItsExceptionReachesTheCallerUnchanged()
    {
        var failure = new HttpRequestException("The model endpoint returned 503.");
        var model = new ScriptedChatClient(new ScriptedTurn(Failure: failure));
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        var thrown = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetResponseAsync(WeatherScript.Question, cancellationToken: Ct));
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Same(failure, thrown);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(["ERROR The model endpoint returned 503."], record.Lines);
        Assert.Equal("""{"content_policy":"full","error":"model_call_failed","exception_type":"System.Net.Http.HttpRequestException","model_call":1}""", Canonical(record.Metadata(0)));
    }

    [Fact]
    public async Task CancelledModelCall_IsRecordedAsCancelled_AndTheCancellationReachesTheCaller()
    {
        var model = new ScriptedChatClient(new ScriptedTurn(WaitForCancellation: true));
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = client.GetResponseAsync(WeatherScript.Question, cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(["ERROR The model call was cancelled."], record.Lines);
        Assert.Equal("cancelled", record.Payload(0).GetProperty("metadata").GetProperty("error").GetString());
    }

    [Fact]
    public async Task StreamThatFailsMidway_RecordsWhatArrived_ThenTheError()
    {
        var failure = new HttpRequestException("Connection reset.");
        var turn = ScriptedTurn.Reply("resp_1", new TextContent("Partial answer, then the line drops.")) with { Failure = failure, FailStreamAfterUpdates = 2 };
        var model = new ScriptedChatClient(turn);
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        var seen = new List<string>();
        var thrown = await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(WeatherScript.Question, cancellationToken: Ct))
            {
                seen.Add(update.Text);
            }
        });
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Same(failure, thrown);
        Assert.Equal(["Partial", " answer"], seen);
        Assert.Equal(["attestation 1", "OUTPUT Partial answer", "ERROR Connection reset."], record.Lines);
        var output = JsonDocument.Parse(record.Attestation(0).GetProperty("output").GetString()!).RootElement;
        Assert.Equal("interrupted", output.GetProperty("completion").GetString());
    }

    [Fact]
    public async Task StreamTheCallerStopsReading_RecordsWhatItReceived_AndSaysTheRestNeverCame()
    {
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("A long answer the caller does not read to the end.")));
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        await foreach (var update in client.GetStreamingResponseAsync(WeatherScript.Question, cancellationToken: Ct))
        {
            Assert.Equal("A long ", update.Text);
            break;
        }

        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(
            ["attestation 1", "OUTPUT A long ", "ERROR The caller stopped reading the streamed response after 1 updates; the rest of the response was never received."],
            record.Lines);
        Assert.Equal("""{"content_policy":"none","error":"stream_abandoned","model_call":1,"updates":1}""", Canonical(record.Metadata(2)));
    }

    [Fact]
    public async Task GivenTrace_IsRecordedInto_AfterWhatItAlreadyHolds()
    {
        var trace = await server.Client.Traces.CreateAsync(new Client.Models.CreateTraceRequest { Label = "Support case 4711" }, Ct);
        await server.Client.Events.RecordAsync(new Client.Models.RecordEventRequest { EventType = "case.opened", Payload = new System.Text.Json.Nodes.JsonObject { ["case"] = 4711 }, TraceId = trace.TraceId }, Ct);
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("Case noted.")));
        var recorder = server.NewRecorder(o => o.TraceId = trace.TraceId);
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        await client.GetResponseAsync("Note the case.", cancellationToken: Ct);
        var traceId = await recorder.SealAsync(Ct);
        var record = await server.ReadSealedAsync(traceId, Ct);

        Assert.Equal(trace.TraceId, traceId);
        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(["case.opened", "attestation 1", "OUTPUT Case noted."], record.Lines);
        Assert.Equal([1L, 2L], recorder.Transcript.Entries.Select(e => e.Index!.Value));
    }

    [Fact]
    public async Task SealedRecorder_RefusesFurtherCalls()
    {
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("Done.")), ScriptedTurn.Reply("resp_2", new TextContent("Again.")));
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();
        await client.GetResponseAsync("Go.", cancellationToken: Ct);
        await recorder.SealAsync(Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("Go again.", cancellationToken: Ct));
        Assert.Single(model.Requests);
    }

    [Fact]
    public async Task Seal_WithNothingRecorded_IsAnError()
    {
        var recorder = server.NewRecorder();

        await Assert.ThrowsAsync<InvalidOperationException>(() => recorder.SealAsync(Ct));
    }

    [Fact]
    public async Task ConcurrentCalls_EachWriteTheirEntriesAsOneGroup()
    {
        var turns = Enumerable.Range(1, 6).Select(i => ScriptedTurn.Reply($"resp_{i}", new TextReasoningContent($"thinking {i}"), new TextContent($"answer {i}"))).ToArray();
        var model = new ScriptedChatClient(turns);
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetResponseAsync("Go.", cancellationToken: Ct)));
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(Verdict.Valid, record.Report.Verdict);
        Assert.Equal(18, record.Lines.Count);
        for (var group = 0; group < 6; group++)
        {
            var lines = record.Lines.Skip(group * 3).Take(3).ToArray();
            var n = lines[1]["THOUGHT thinking ".Length..];
            Assert.Equal(["attestation " + lines[0]["attestation ".Length..], "THOUGHT thinking " + n, "OUTPUT answer " + n], lines);
        }
    }

    [Fact]
    public async Task UseTracesRecording_WithoutARecorder_TakesTheOneRegistered_OrRefusesToBuild()
    {
        var recorder = server.NewRecorder();
        using var services = new ServiceCollection()
            .AddSingleton(recorder)
            .BuildServiceProvider();
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("Registered.")));

        using var client = model.AsBuilder().UseTracesRecording().Build(services);
        await client.GetResponseAsync("Go.", cancellationToken: Ct);

        Assert.Same(recorder, client.GetService<Recording.TraceRecorder>());
        Assert.Equal(2, recorder.Transcript.Entries.Count);
        Assert.Throws<InvalidOperationException>(() => new ScriptedChatClient().AsBuilder().UseTracesRecording().Build());
    }

    [Fact]
    public async Task CallersOwnStep_IsRecordedUnderTheContentPolicy_InOrder()
    {
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("Refund approved.")));
        var recorder = server.NewRecorder(o => o.ContentPolicy = ContentPolicy.HashOnly);
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        await recorder.RecordStepAsync(Client.Models.StepType.PolicyCheck, "refund <= 50 EUR: allowed", new System.Text.Json.Nodes.JsonObject { ["policy"] = "refunds-v2" }, Ct);
        await client.GetResponseAsync("Refund order 7?", cancellationToken: Ct);
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(
            ["POLICY_CHECK " + ContentPolicy.Sha256Of("refund <= 50 EUR: allowed"), "attestation 1", "OUTPUT " + ContentPolicy.Sha256Of("Refund approved.")],
            record.Lines);
        Assert.Equal("""{"content_policy":"sha256","policy":"refunds-v2"}""", Canonical(record.Metadata(0)));
    }

    [Fact]
    public async Task ToolResultsFromBeforeTheTrace_AreNotRecordedAsObservations()
    {
        // A conversation that already holds a tool call and its result when recording starts: they happened before.
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Earlier question."),
            new(ChatRole.Assistant, [new FunctionCallContent("old_call", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new(ChatRole.Tool, [new FunctionResultContent("old_call", "Snow")]),
            new(ChatRole.User, "And now?"),
        ];
        var model = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("Still snowing.")));
        var recorder = server.NewRecorder();
        using var client = model.AsBuilder().UseTracesRecording(recorder).Build();

        await client.GetResponseAsync(history, cancellationToken: Ct);
        var record = await server.ReadSealedAsync(await recorder.SealAsync(Ct), Ct);

        Assert.Equal(["attestation 1", "OUTPUT Still snowing."], record.Lines);
        Assert.Contains("""{"call_id":"old_call","result":"Snow","type":"function_result"}""", record.Attestation(0).GetProperty("input").GetString(), StringComparison.Ordinal);
    }

    private static string Canonical(string json) =>
        ChatRendering.Canonical(System.Text.Json.Nodes.JsonNode.Parse(json));
}
