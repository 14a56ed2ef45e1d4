using System.Net.Http.Json;
using System.Text.Json;
using Traces.LocalServer;

namespace Traces.Cli.Tests.Developer;

/// <summary>One in-process reference server (ephemeral) for the endpoint-command tests.</summary>
public sealed class LocalServerFixture : IAsyncLifetime
{
    public LocalTracesServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions());

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The environment a developer would have after 'traces serve': endpoint and key.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["TRACES_ENDPOINT"] = Server.BaseAddress.ToString(),
        ["TRACES_API_KEY"] = Server.ApiKey,
    };

    /// <summary>Creates an open trace with <paramref name="steps"/> agent steps over plain HTTP; returns its id.</summary>
    public async Task<string> CreateTraceAsync(string label, int steps, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", Server.ApiKey);
        var created = await http.PostAsync("v1/traces", JsonContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["label"] = label })), cancellationToken);
        created.EnsureSuccessStatusCode();
        var traceId = (await created.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("trace_id").GetString()!;
        for (var i = 0; i < steps; i++)
        {
            var step = await http.PostAsync($"v1/traces/{traceId}/steps",
                JsonContent("{\"type\":\"THOUGHT\",\"content\":\"step " + i + "\",\"metadata\":{\"n\":" + i + "}}"), cancellationToken);
            step.EnsureSuccessStatusCode();
        }

        return traceId;
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
