using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traces.Client;
using Traces.Client.Http;
using Traces.Client.Models;
using Traces.Client.Serialization;

namespace Traces.Benchmarks;

/// <summary>
/// What the client adds to one call (issue 14, "A lean call"): <c>Traces.GetAsync</c> and <c>Traces.AddStepAsync</c>
/// of a <see cref="TracesClient"/> registered with <c>AddTracesClient</c> (authentication, resilience with retries and
/// timeouts, an automatic idempotency key, logging at Information, the diagnostic scope), against the same request
/// through a hand-written <see cref="HttpClient"/> + System.Text.Json (source-generated) call. Both end in the same
/// canned in-memory handler, so neither pays for a socket; <see cref="Setup"/> checks that both send the same method,
/// URI, headers (values of the per-call ids apart) and body bytes, and read the same answer.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientCallBenchmarks
{
    internal const string ApiKey = "tk_bench_0123456789abcdef0123456789abcdef";
    private const string TraceId = "tr_01JQ7ZK3M9V2X4Y6B8D0F2H4J6";

    private static readonly AddStepRequest s_step = new()
    {
        Type = StepType.Action,
        Content = "Called get_weather(city: \"Paris\") and got \"Sunny, 21 °C\".",
        Metadata = new JsonObject { ["tool"] = "get_weather", ["attempt"] = 1 },
    };

    private readonly CannedHandler _clientHandler = new();
    private readonly CannedHandler _rawHandler = new();
    private ServiceProvider _services = null!;
    private TracesClient _client = null!;
    private HttpClient _raw = null!;
    private HttpClient _pipeline = null!;
    private HttpClient _bare = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b
            .AddProvider(new DiscardingLoggerProvider())
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter(TracesClient.DiagnosticsName, LogLevel.Information));
        services.AddTracesClient(o =>
        {
            o.Endpoint = new Uri("https://traces.example.com/");
            o.ApiKey = ApiKey;
        }).ConfigurePrimaryHttpMessageHandler(() => _clientHandler);
        services.AddHttpClient("bare", c => c.BaseAddress = new Uri("https://traces.example.com/")).ConfigurePrimaryHttpMessageHandler(() => _rawHandler);
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<TracesClient>();
        _pipeline = _services.GetRequiredService<IHttpClientFactory>().CreateClient("Traces.Client");
        _bare = _services.GetRequiredService<IHttpClientFactory>().CreateClient("bare");

        _raw = new HttpClient(_rawHandler, disposeHandler: false) { BaseAddress = new Uri("https://traces.example.com/") };
        _raw.DefaultRequestHeaders.UserAgent.ParseAdd($"Traces.Client/{typeof(TracesClient).Assembly.GetName().Version}");

        SameOnTheWire().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Get")]
    public Task<TraceDetails> Get_HandWritten() => RawGetAsync();

    [Benchmark]
    [BenchmarkCategory("Get")]
    public Task<TraceDetails> Get_TracesClient() => _client.Traces.GetAsync(TraceId);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("AddStep")]
    public Task<StepReceipt> AddStep_HandWritten() => RawAddStepAsync();

    [Benchmark]
    [BenchmarkCategory("AddStep")]
    public Task<StepReceipt> AddStep_TracesClient() => _client.Traces.AddStepAsync(TraceId, s_step);

    internal Task<TraceDetails> Get_ThroughPipeline() => RawGetAsync(_pipeline);

    internal Task<TraceDetails> Get_ThroughBareFactoryClient() => RawGetAsync(_bare);

    internal Task<StepReceipt> AddStep_ThroughPipeline() => RawAddStepAsync(_pipeline);

    /// <summary>The baseline: what a careful person writes by hand for the same request (docs/api.md).</summary>
    private async Task<TraceDetails> RawGetAsync(HttpClient? through = null)
    {
        // GetAsync reads the entries in pages of 200 (docs/api.md); the canned trace fits in the first.
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/traces/" + TraceId + "?event_page=1&event_limit=200");
        AddHeaders(request);
        using var response = await (through ?? _raw).SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, TracesClientJsonContext.Default.TraceDetails)!;
    }

    private async Task<StepReceipt> RawAddStepAsync(HttpClient? through = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/traces/" + TraceId + "/steps");
        AddHeaders(request);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKeys.New());
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(s_step, TracesClientJsonContext.Default.AddStepRequest));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Content = content;
        using var response = await (through ?? _raw).SendAsync(request).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, TracesClientJsonContext.Default.StepReceipt)!;
    }

    private static void AddHeaders(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + ApiKey);   // the client's default style
        request.Headers.TryAddWithoutValidation("x-request-id", NewRequestId());
    }

    /// <summary>
    /// The request id as the client makes it (128 bits from <see cref="Random.Shared"/>, not <see cref="Guid.NewGuid"/>,
    /// which costs 1.6–4 µs of CPU on this VM, where it is a system call): both calls do the same work for their ids, so
    /// the ratio measures the client's layers, not a choice of random generator. The idempotency key is the client's own
    /// (<see cref="IdempotencyKeys.New"/>, a version 7 UUID) in both.
    /// </summary>
    private static string NewRequestId()
    {
        Span<byte> bits = stackalloc byte[16];
        Random.Shared.NextBytes(bits);
        return "req_" + new Guid(bits).ToString("N");
    }

    /// <summary>Both calls send the same request and read the same answer; otherwise the comparison means nothing.</summary>
    private async Task SameOnTheWire()
    {
        foreach (var (client, raw) in new (Func<Task<object>>, Func<Task<object>>)[]
        {
            (async () => await Get_TracesClient(), async () => await Get_HandWritten()),
            (async () => await AddStep_TracesClient(), async () => await AddStep_HandWritten()),
        })
        {
            _clientHandler.Record = _rawHandler.Record = true;
            var clientAnswer = await client();
            var rawAnswer = await raw();
            var fromClient = JsonSerializer.Serialize(clientAnswer, clientAnswer.GetType(), TracesClientJsonContext.Default);
            var fromRaw = JsonSerializer.Serialize(rawAnswer, rawAnswer.GetType(), TracesClientJsonContext.Default);
            _clientHandler.Record = _rawHandler.Record = false;
            if (fromClient != fromRaw)
            {
                throw new InvalidOperationException($"Different answers: {fromClient} vs {fromRaw}");
            }

            if (_clientHandler.Last != _rawHandler.Last)
            {
                throw new InvalidOperationException($"Different requests:\n{_clientHandler.Last}\nvs\n{_rawHandler.Last}");
            }
        }
    }

    /// <summary>The service's answers, canned: a sealed trace with two entries, and a step receipt.</summary>
    private sealed class CannedHandler : HttpMessageHandler
    {
        private static readonly byte[] s_trace = Encoding.UTF8.GetBytes("""
            {"trace_id":"tr_01JQ7ZK3M9V2X4Y6B8D0F2H4J6","label":"Invoice 4711","agent_id":null,"description":null,"tags":["billing"],"metadata":{"customer":"c-42"},
             "status":"sealed","event_count":2,"created_at":"2026-03-17T12:00:00.000000Z","sealed_at":"2026-03-17T14:30:00.000000Z",
             "composite_hash":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","integrity_root_hash":"sha256:60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752","seal_event_id":"evt_01JQ7ZK3M9V2X4Y6B8D0F2H4J9","error":null,
             "events":[{"index":0,"event_id":"evt_01JQ7ZK3M9V2X4Y6B8D0F2H4J7","event_type":"document.anchored","payload_hash":"sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae","content_hash":"sha256:fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9","previous_chain_hash":null,"chain_hash":"sha256:baa5a0964d3320fbc0c6a922140453c8513ea24ab8fd0577034804a967248096","ingested_at":"2026-03-17T12:05:00.000000Z"},
                       {"index":1,"event_id":"evt_01JQ7ZK3M9V2X4Y6B8D0F2H4J8","event_type":"ACTION","payload_hash":"sha256:8e35c2cd3bf6641bdb0e2050b76932cbb2e6034a0ddacc1d9bea82a6ba57f7cf","content_hash":"sha256:3fc9b689459d738f8c88a3a48aa9e33542016b7a4052e001aaa536fca74813cb","previous_chain_hash":"sha256:baa5a0964d3320fbc0c6a922140453c8513ea24ab8fd0577034804a967248096","chain_hash":"sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","ingested_at":"2026-03-17T12:06:00.000000Z"}]}
            """);

        private static readonly byte[] s_receipt = Encoding.UTF8.GetBytes("""
            {"step_id":"evt_01JQ7ZK3M9V2X4Y6B8D0F2H4J8","step_index":1,"integrity_chain_hash":"sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881","event_id":"evt_01JQ7ZK3M9V2X4Y6B8D0F2H4J8","payload_hash":"sha256:8e35c2cd3bf6641bdb0e2050b76932cbb2e6034a0ddacc1d9bea82a6ba57f7cf","content_hash":"sha256:3fc9b689459d738f8c88a3a48aa9e33542016b7a4052e001aaa536fca74813cb","ingested_at":"2026-03-17T12:06:00.000000Z"}
            """);

        public bool Record { get; set; }

        public string? Last { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Record)
            {
                Last = await DescribeAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var post = request.Method == HttpMethod.Post;
            var response = new HttpResponseMessage(post ? HttpStatusCode.Created : HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(post ? s_receipt : s_trace),
                RequestMessage = request,
            };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return response;
        }

        private static async Task<string> DescribeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var text = new StringBuilder().Append(request.Method).Append(' ').Append(request.RequestUri).Append('\n');
            var headers = request.Headers.AsEnumerable();
            if (request.Content is not null)
            {
                headers = headers.Concat(request.Content.Headers);
            }

            foreach (var (name, values) in headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            {
                var value = string.Join(",", values);
                var perCall = name.Equals("x-request-id", StringComparison.OrdinalIgnoreCase) || name.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase);
                text.Append(name.ToLowerInvariant()).Append(": ").Append(perCall ? $"<{value.Length} chars>" : value).Append('\n');
            }

            if (request.Content is not null)
            {
                text.Append(await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            }

            return text.ToString();
        }
    }

    /// <summary>In process (no separate build), warmed up, 12 iterations: both calls of a pair run in the same process.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(4).WithIterationCount(12));
    }

    private sealed class DiscardingLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => DiscardingLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class DiscardingLogger : ILogger
        {
            public static readonly DiscardingLogger Instance = new();

            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
            }
        }
    }
}

/// <summary>
/// <c>--client-alloc [--rounds N]</c>: per call, the process CPU time (lowest of N interleaved rounds of 20,000 calls,
/// which a busy machine disturbs far less than wall-clock time) and the bytes allocated (process-wide, precise), for
/// the hand-written call, the client call, and the hand-written request through the client's <see cref="HttpClient"/>
/// (its handlers only) and through a factory client without handlers: what each layer adds.
/// </summary>
internal static class ClientCallAllocations
{
    private const int Calls = 20_000;

    public static int Run(int rounds)
    {
        var bench = new ClientCallBenchmarks();
        bench.Setup();
        try
        {
            var cases = new (string What, Func<Task> Call)[]
            {
                ("Get, hand-written", bench.Get_HandWritten),
                ("Get, TracesClient", bench.Get_TracesClient),
                ("Get, hand-written request through the client's HttpClient", bench.Get_ThroughPipeline),
                ("Get, hand-written request through a factory client without handlers", bench.Get_ThroughBareFactoryClient),
                ("AddStep, hand-written", bench.AddStep_HandWritten),
                ("AddStep, TracesClient", bench.AddStep_TracesClient),
                ("AddStep, hand-written request through the client's HttpClient", bench.AddStep_ThroughPipeline),
            };
            var cpu = new double[cases.Length];
            var bytes = new double[cases.Length];
            Array.Fill(cpu, double.MaxValue);
            for (var round = 0; round < rounds; round++)
            {
                for (var c = 0; c < cases.Length; c++)
                {
                    var (ns, b) = Measure(cases[c].Call, warmUp: round == 0 ? 5_000 : 500);
                    cpu[c] = Math.Min(cpu[c], ns);
                    bytes[c] = b;
                }
            }

            for (var c = 0; c < cases.Length; c++)
            {
                var baseline = c < 4 ? 0 : 4;
                Console.WriteLine($"{cases[c].What}: {cpu[c]:0} ns CPU ({cpu[c] / cpu[baseline]:0.00}x), {bytes[c]:0} B ({bytes[c] - bytes[baseline]:+0;-0;0} B) per call");
            }

            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}");
            return 0;
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static (double CpuNs, double Bytes) Measure(Func<Task> call, int warmUp)
    {
        for (var i = 0; i < warmUp; i++)
        {
            call().GetAwaiter().GetResult();
        }

        GC.Collect();
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < Calls; i++)
        {
            call().GetAwaiter().GetResult();
        }

        var after = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return (cpu.TotalNanoseconds / Calls, (after - before) / (double)Calls);
    }
}
