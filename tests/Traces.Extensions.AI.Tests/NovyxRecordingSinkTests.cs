using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Traces.Client.Vendors.Novyx;
using Traces.Extensions.AI.Recording;
using Traces.Extensions.AI.Sinks;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace Traces.Extensions.AI.Tests;

/// <summary>
/// The recorder writing to Novyx through <see cref="NovyxClient"/>. Novyx has no local server: a small stand-in
/// answers its documented paths (start, steps, get, complete) and keeps the steps it was sent, in order.
/// </summary>
public sealed class NovyxRecordingSinkTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly List<JsonObject> _steps = [];
    private int _lostAnswers;

    public NovyxRecordingSinkTests()
    {
        _server.Given(Request.Create().WithPath("/v1/traces").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => Json(201, """{"trace_id":"trc_1","status":"active"}""")));
        _server.Given(Request.Create().WithPath("/v1/traces/trc_1/steps").UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var step = JsonNode.Parse(request.Body!)!.AsObject();
                lock (_steps)
                {
                    _steps.Add(step);
                    var receipt = $$"""{"step_id":"stp_{{_steps.Count - 1}}","step_index":{{_steps.Count - 1}}}""";
                    if (_lostAnswers > 0)
                    {
                        // Novyx stored the step, but its answer never arrives.
                        _lostAnswers--;
                        return Json(502, """{"error":"bad_gateway"}""");
                    }

                    return Json(201, receipt);
                }
            }));
        _server.Given(Request.Create().WithPath("/v1/traces/trc_1").UsingGet())
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                lock (_steps)
                {
                    var steps = new JsonArray([.. _steps.Select((s, i) => (JsonNode)new JsonObject
                    {
                        ["step_id"] = $"stp_{i}",
                        ["step_index"] = i,
                        ["type"] = s["type"]!.DeepClone(),
                        ["content"] = s["content"]!.DeepClone(),
                        ["metadata"] = s["metadata"]?.DeepClone(),
                    })]);
                    return Json(200, new JsonObject { ["trace"] = new JsonObject { ["trace_id"] = "trc_1" }, ["steps"] = steps, ["step_count"] = _steps.Count }.ToJsonString());
                }
            }));
        _server.Given(Request.Create().WithPath("/v1/traces/trc_1/complete").UsingPost())
            .RespondWith(Response.Create().WithCallback(_ => Json(200, """{"trace_id":"trc_1","status":"completed","integrity_root_hash":"e3b0","signature":"AAEC"}""")));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ToolLoop_IsWrittenAsNovyxSteps_InOrder_AndCompleted()
    {
        using var novyx = Client();
        var recorder = new TraceRecorder(new NovyxRecordingSink(novyx), new TraceRecorderOptions { StartTrace = new TraceStartRequest { AgentId = "weather-agent" } });
        using var client = new ScriptedChatClient(WeatherScript.ToolTurn(), WeatherScript.AnswerTurn()).AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();

        await client.GetResponseAsync(WeatherScript.Question, WeatherScript.Options, Ct);
        var traceId = await recorder.SealAsync(Ct);

        Assert.Equal("trc_1", traceId);
        Assert.Single(_server.LogEntries, e => e.RequestMessage!.Path == "/v1/traces/trc_1/complete");
        Assert.Equal(
            [
                "ACTION ai.attestation",
                "THOUGHT " + WeatherScript.Reasoning,
                "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_weather\"}",
                "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_time\"}",
                "OBSERVATION Sunny, 21 °C",
                "OBSERVATION 14:05",
                "ACTION ai.attestation",
                "OUTPUT " + WeatherScript.Answer,
            ],
            _steps.Select(Line));

        var attestation = _steps[0];
        Assert.Equal("scripted", (string?)attestation["metadata"]!["model_provider"]);
        Assert.Equal("scripted-model-1", (string?)attestation["metadata"]!["model_name"]);
        var documents = JsonNode.Parse((string)attestation["content"]!)!;
        Assert.Equal(recorder.Transcript.Entries[0].Input, (string?)documents["input"]);
        Assert.Equal(recorder.Transcript.Entries[0].Output, (string?)documents["output"]);
        Assert.Equal(8, _steps.Select(s => (string?)s["metadata"]![NovyxRecordingSink.RecordingKeyMember]).Distinct().Count());
        Assert.Equal(["stp_0", "stp_7"], new[] { recorder.Transcript.Entries[0].EntryId, recorder.Transcript.Entries[7].EntryId });
    }

    [Fact]
    public async Task StepStoredButAnswerLost_IsFoundOnRetry_NotWrittenTwice()
    {
        using var novyx = Client();
        var recorder = new TraceRecorder(new NovyxRecordingSink(novyx), new TraceRecorderOptions
        {
            StartTrace = new TraceStartRequest { AgentId = "weather-agent" },
            FailurePolicy = RecordingFailurePolicy.LogAndContinue,
        });
        using var client = new ScriptedChatClient(ScriptedTurn.Reply("resp_1", new TextContent("Answer."))).AsBuilder().UseTracesRecording(recorder).Build();
        _lostAnswers = 1;

        await client.GetResponseAsync("Question.", cancellationToken: Ct);
        Assert.Equal(2, recorder.PendingCount);
        await recorder.SealAsync(Ct);

        // Each step once: the attestation, whose answer was lost, was found by its key instead of being sent again.
        Assert.Equal(["ACTION ai.attestation", "OUTPUT Answer."], _steps.Take(2).Select(Line));
        Assert.StartsWith("ERROR The 2 entries before this one were recorded late", Line(_steps[2]), StringComparison.Ordinal);
        Assert.Equal(3, _steps.Count);
        Assert.Single(_server.LogEntries, e => e.RequestMessage!.Method == "GET");
        Assert.Equal("stp_0", recorder.Transcript.Entries[0].EntryId);
    }

    public void Dispose() => _server.Dispose();

    private NovyxClient Client() => new(new NovyxClientOptions
    {
        BaseUrl = new Uri(_server.Url!),
        ApiKey = "nram_test_0123456789abcdef",
        MaxRetries = 1,
        RetryDelay = TimeSpan.FromMilliseconds(1),
    });

    private static string Line(JsonObject step) =>
        (string?)step["metadata"]?["entry"] == "ai.attestation" ? $"{step["type"]} ai.attestation" : $"{step["type"]} {step["content"]}";

    private static ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json") },
        BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String },
    };
}
