using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.AI;
using Traces.Client;
using Traces.Extensions.AI.Content;
using Traces.Extensions.AI.Recording;
using Traces.Extensions.AI.Sinks;
using Traces.LocalServer;

namespace Traces.Benchmarks;

/// <summary>
/// What recording costs an agent (docs/ai-recording.md): one tool loop of two model calls (reasoning, two tool calls,
/// two results, an answer: 8 entries), through the real function invocation loop, without recording, with the
/// middleware's own work only (a sink that stores nothing), and written to the reference server over loopback.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class AgentRecordingBenchmarks
{
    private static readonly AIFunction s_weather = AIFunctionFactory.Create((string city) => "Sunny, 21 °C", "get_weather");
    private static readonly AIFunction s_time = AIFunctionFactory.Create((string city) => "14:05", "get_time");
    private readonly ChatOptions _options = new() { Tools = [s_weather, s_time] };
    private LocalTracesServer _server = null!;
    private TracesClient _client = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions());
        _client = new TracesClient(new TracesClientOptions { Endpoint = _server.BaseAddress, ApiKey = _server.ApiKey });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> NotRecorded()
    {
        using var agent = new ToolLoopModel().AsBuilder().UseFunctionInvocation().Build();
        return agent.GetResponseAsync("Weather and time in Paris?", _options);
    }

    [Benchmark]
    public Task<ChatResponse> Middleware_Full() => RunAsync(new TraceRecorder(new DiscardingSink(), new TraceRecorderOptions()));

    [Benchmark]
    public Task<ChatResponse> Middleware_HashOnly() => RunAsync(new TraceRecorder(new DiscardingSink(), new TraceRecorderOptions { ContentPolicy = ContentPolicy.HashOnly }));

    [Benchmark]
    public Task<ChatResponse> LocalServer_HashOnly() => RunAsync(new TraceRecorder(new TracesClientRecordingSink(_client), new TraceRecorderOptions { ContentPolicy = ContentPolicy.HashOnly }));

    private async Task<ChatResponse> RunAsync(TraceRecorder recorder)
    {
        using var agent = new ToolLoopModel().AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();
        return await agent.GetResponseAsync("Weather and time in Paris?", _options);
    }

    /// <summary>Two turns: reasoning and two tool calls, then the answer.</summary>
    private sealed class ToolLoopModel : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var answered = messages.Any(m => m.Role == ChatRole.Tool);
            AIContent[] contents = answered
                ? [new TextContent("In Paris it is sunny, 21 °C, and the local time is 14:05.")]
                :
                [
                    new TextReasoningContent("I need the weather and the local time."),
                    new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
                    new FunctionCallContent("call_2", "get_time", new Dictionary<string, object?> { ["city"] = "Paris" }),
                ];
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
            {
                ModelId = "bench-model",
                Usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 20, TotalTokenCount = 120 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The benchmark does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    /// <summary>Stores nothing: isolates the middleware's rendering, canonicalization and hashing from the network.</summary>
    private sealed class DiscardingSink : ITraceRecordingSink
    {
        private long _index;

        public Task<string> StartTraceAsync(TraceStartRequest request, CancellationToken cancellationToken) => Task.FromResult("tr_bench");

        public Task<RecordedEntryReceipt> RecordStepAsync(string traceId, RecordedStep step, CancellationToken cancellationToken) =>
            Task.FromResult(new RecordedEntryReceipt(null, _index++));

        public Task<RecordedEntryReceipt> RecordAttestationAsync(string traceId, RecordedAttestation attestation, CancellationToken cancellationToken) =>
            Task.FromResult(new RecordedEntryReceipt(null, _index++));

        public Task SealAsync(string traceId, CancellationToken cancellationToken) => Task.CompletedTask;

        public bool IsPermanentFailure(Exception exception) => false;
    }
}
