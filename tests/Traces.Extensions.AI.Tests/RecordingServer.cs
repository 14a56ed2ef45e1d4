using System.Text.Json;
using Traces.Client;
using Traces.Extensions.AI.Recording;
using Traces.Extensions.AI.Sinks;
using Traces.LocalServer;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Extensions.AI.Tests;

/// <summary>The in-process reference server every test records into, and what a test reads back from it.</summary>
public sealed class RecordingServer : IAsyncLifetime
{
    public LocalTracesServer Server { get; private set; } = null!;

    public TracesClient Client { get; private set; } = null!;

    /// <summary>The server's keys, handed over in process: pinning them is sound.</summary>
    public TrustPolicy Trust => TrustPolicy.FromPublishedKeys(Server.PublicKeys);

    public async ValueTask InitializeAsync()
    {
        Server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions());
        Client = CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public TracesClient CreateClient() => new(new TracesClientOptions
    {
        Endpoint = Server.BaseAddress,
        ApiKey = Server.ApiKey,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        SealPollingInterval = TimeSpan.FromMilliseconds(20),
        MaxSealPollingInterval = TimeSpan.FromMilliseconds(100),
    });

    public TraceRecorder NewRecorder(Action<TraceRecorderOptions>? configure = null, ITraceRecordingSink? sink = null)
    {
        var options = new TraceRecorderOptions { StartTrace = new TraceStartRequest { AgentId = "weather-agent" } };
        configure?.Invoke(options);
        return new TraceRecorder(sink ?? new TracesClientRecordingSink(Client), options);
    }

    /// <summary>The sealed trace's bundle, verified offline from its raw bytes under the pinned keys.</summary>
    public async Task<SealedRecord> ReadSealedAsync(string traceId, CancellationToken cancellationToken)
    {
        var report = await Client.Traces.VerifyOfflineAsync(traceId, Trust, cancellationToken);
        var bundle = await Client.Traces.GetProofAsync(traceId, cancellationToken);
        return new SealedRecord(report, bundle);
    }
}

/// <summary>A sealed trace as a verifier sees it.</summary>
public sealed record SealedRecord(VerificationReport Report, ProofBundle Bundle)
{
    public IReadOnlyList<BundleEntry> Entries => Bundle.Events ?? [];

    /// <summary>Each entry in one line: <c>ACTION {content}</c> for a step, <c>attestation {model call}</c> for an attestation.</summary>
    public IReadOnlyList<string> Lines => [.. Entries.Select(Line)];

    public static string Line(BundleEntry entry)
    {
        var payload = entry.Payload!.Value;
        return entry.EventType switch
        {
            "agent.step" => $"{payload.GetProperty("type").GetString()} {payload.GetProperty("content").GetString()}",
            "ai.attestation" => $"attestation {JsonDocument.Parse(Flatten(payload).GetProperty("input").GetString()!).RootElement.GetProperty("model_call").GetInt32()}",
            _ => entry.EventType!,
        };
    }

    public JsonElement Payload(int index) => Entries[index].Payload!.Value;

    /// <summary>An attestation's payload with <c>payload{input,output}</c> and <c>context{…}</c> lifted to the top (docs/api.md keeps Invoance's nesting).</summary>
    public JsonElement Attestation(int index) => Flatten(Payload(index));

    private static JsonElement Flatten(JsonElement payload)
    {
        var flat = new System.Text.Json.Nodes.JsonObject();
        foreach (var member in payload.EnumerateObject())
        {
            if (member.Name is "payload" or "context" && member.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var inner in member.Value.EnumerateObject())
                {
                    flat[inner.Name] = System.Text.Json.Nodes.JsonNode.Parse(inner.Value.GetRawText());
                }
            }
            else
            {
                flat[member.Name] = System.Text.Json.Nodes.JsonNode.Parse(member.Value.GetRawText());
            }
        }

        return JsonElement.Parse(flat.ToJsonString());
    }

    public string Metadata(int index) => Payload(index).GetProperty("metadata").GetRawText();
}
