using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WireMock.Logging;
using WireMock.Server;

namespace Traces.Client.Tests;

/// <summary>A WireMock server per test plus a client with fast retry and polling settings.</summary>
public abstract class WireMockTestBase : IDisposable
{
    protected const string ApiKey = "tk_test_SECRET_0123456789abcdef";

    protected WireMockTestBase()
    {
        Server = WireMockServer.Start();
    }

    protected WireMockServer Server { get; }

    protected CancellationToken Ct => TestContext.Current.CancellationToken;

    protected TracesClientOptions FastOptions(Action<TracesClientOptions>? configure = null)
    {
        var options = new TracesClientOptions();
        ApplyFastOptions(options, configure);
        return options;
    }

    /// <summary>Sets this server's endpoint and key and short retry, timeout and polling settings, then <paramref name="configure"/>.</summary>
    protected void ApplyFastOptions(TracesClientOptions options, Action<TracesClientOptions>? configure = null)
    {
        options.Endpoint = new Uri(Server.Url!);
        options.ApiKey = ApiKey;
        options.MaxRetries = 3;
        options.RetryDelay = TimeSpan.FromMilliseconds(1);
        options.MaxRetryDelay = TimeSpan.FromSeconds(2);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        options.TotalTimeout = TimeSpan.FromSeconds(10);
        options.SealPollingInterval = TimeSpan.FromMilliseconds(5);
        options.MaxSealPollingInterval = TimeSpan.FromMilliseconds(20);
        options.SealTimeout = TimeSpan.FromSeconds(10);
        configure?.Invoke(options);
    }

    protected TracesClient CreateClient(Action<TracesClientOptions>? configure = null, ILoggerFactory? loggerFactory = null) =>
        new(FastOptions(configure), loggerFactory);

    protected IReadOnlyList<ILogEntry> Requests(string method, string path) =>
        Server.LogEntries
            .Where(e => string.Equals(e.RequestMessage!.Method, method, StringComparison.OrdinalIgnoreCase) && e.RequestMessage.Path == path)
            .ToList();

    protected static string? Header(ILogEntry entry, string name) =>
        entry.RequestMessage!.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Compares JSON by meaning: member order, an absent member vs <c>null</c>, timestamp spelling and number spelling do not matter.</summary>
public static class JsonSemantics
{
    public static void AssertEquivalent(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected?.ToJsonString() ?? "null"}, got {actual?.ToJsonString() ?? "null"}");
            return;
        }

        switch (expected)
        {
            case JsonObject eo:
                var ao = Assert.IsType<JsonObject>(actual, exactMatch: false);
                foreach (var name in eo.Select(p => p.Key).Union(ao.Select(p => p.Key)))
                {
                    AssertEquivalent(eo.TryGetPropertyValue(name, out var e) ? e : null, ao.TryGetPropertyValue(name, out var a) ? a : null, $"{path}.{name}");
                }

                break;
            case JsonArray ea:
                var aa = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(ea.Count == aa.Count, $"{path}: expected {ea.Count} items, got {aa.Count}");
                for (var i = 0; i < ea.Count; i++)
                {
                    AssertEquivalent(ea[i], aa[i], $"{path}[{i}]");
                }

                break;
            default:
                var ev = expected.AsValue();
                var av = actual.AsValue();
                Assert.True(ev.GetValueKind() == av.GetValueKind(), $"{path}: kind {ev.GetValueKind()} vs {av.GetValueKind()}");
                switch (ev.GetValueKind())
                {
                    case JsonValueKind.String:
                        var es = ev.GetValue<string>();
                        var @as = av.GetValue<string>();
                        if (es != @as)
                        {
                            Assert.True(
                                es.Contains('T') && DateTimeOffset.TryParse(es, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var et)
                                && DateTimeOffset.TryParse(@as, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && et == at,
                                $"{path}: expected \"{es}\", got \"{@as}\"");
                        }

                        break;
                    case JsonValueKind.Number:
                        Assert.Equal(ev.GetValue<decimal>(), av.GetValue<decimal>());
                        break;
                    default:
                        Assert.Equal(ev.ToJsonString(), av.ToJsonString());
                        break;
                }

                break;
        }
    }
}

/// <summary>Captures every log message (formatted, with scopes and exceptions) at every level.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Every message with its level, category, event id and structured values, in order.</summary>
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>The client's own messages (category <c>Traces.Client</c>) with this event id.</summary>
    public IReadOnlyList<LogEntry> Client(int eventId) =>
        Entries.Where(e => e.Category == TracesClient.DiagnosticsName && e.EventId == eventId).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public string All => string.Join("\n", Lines);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner.Lines.Enqueue($"[scope {category}] {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : string.Empty;
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
            var values = state is IEnumerable<KeyValuePair<string, object?>> all
                ? all.ToDictionary(p => p.Key, p => p.Value)
                : [];
            owner.Entries.Enqueue(new LogEntry(logLevel, category, eventId.Id, formatter(state, exception), values));
        }
    }
}

/// <summary>One captured log message.</summary>
public sealed record LogEntry(LogLevel Level, string Category, int EventId, string Message, IReadOnlyDictionary<string, object?> Values)
{
    public object? this[string name] => Values[name];
}

public sealed class CapturingLoggerFactory(CapturingLoggerProvider provider) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    public void Dispose()
    {
    }
}
