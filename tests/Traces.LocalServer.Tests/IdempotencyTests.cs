using System.Net;
using System.Text.Json;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

public sealed class IdempotencyTests(SharedServer shared)
{
    private static string NewKey() => "idem-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task RetriedCreate_ReplaysTheFirstResponse_AndCreatesNothingTwice()
    {
        using var api = new TracesApi(shared.Server);
        var agent = "idem-agent-" + Guid.NewGuid().ToString("N")[..8];
        var body = JsonSerializer.Serialize(new { label = "idempotent", agent_id = agent });
        var key = NewKey();

        var first = await api.PostAsync("/v1/traces", body, key);
        var firstBody = await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var second = await api.PostAsync("/v1/traces", body, key);
        var secondBody = await second.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, secondBody);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(1, (await api.GetJsonAsync($"/v1/traces?agent_id={agent}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task RetriedStep_AppendsOnce()
    {
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync();
        var key = NewKey();
        var body = """{"type":"ACTION","content":"charge card"}""";
        var first = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", body, key), HttpStatusCode.Created);
        var retry = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", body, key), HttpStatusCode.Created);

        Assert.Equal(first.GetProperty("step_id").GetString(), retry.GetProperty("step_id").GetString());
        Assert.Equal(1, (await api.GetJsonAsync($"/v1/traces/{traceId}")).GetProperty("event_count").GetInt64());
    }

    [Fact]
    public async Task ConcurrentRetries_WithTheSameKey_ExecuteOnce()
    {
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync();
        var key = NewKey();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            api.PostAsync($"/v1/traces/{traceId}/steps", """{"type":"THOUGHT","content":"once"}""", key)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(7, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(1, (await api.GetJsonAsync($"/v1/traces/{traceId}")).GetProperty("event_count").GetInt64());
    }

    [Fact]
    public async Task SameKey_WithDifferentBodyOrPath_IsIdempotencyKeyReused()
    {
        using var api = new TracesApi(shared.Server);
        var key = NewKey();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/traces", """{"label":"one"}""", key)).StatusCode);

        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", """{"label":"two"}""", key),
            HttpStatusCode.Conflict, "idempotency_key_reused");
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/events", """{"label":"one"}""", key),
            HttpStatusCode.Conflict, "idempotency_key_reused");
    }

    [Fact]
    public async Task Keys_AreScopedPerApiKey()
    {
        using var first = new TracesApi(shared.Server);
        using var second = new TracesApi(shared.Server.BaseAddress, SharedServer.SecondDefaultKey);
        var key = NewKey();
        var a = await TracesApi.ReadJsonAsync(await first.PostAsync("/v1/traces", """{"label":"scoped"}""", key), HttpStatusCode.Created);
        var bResponse = await second.PostAsync("/v1/traces", """{"label":"scoped"}""", key);
        var b = await TracesApi.ReadJsonAsync(bResponse, HttpStatusCode.Created);

        Assert.False(bResponse.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(a.GetProperty("trace_id").GetString(), b.GetProperty("trace_id").GetString());
    }

    [Fact]
    public async Task ErrorAnswers_AreReplayedToo()
    {
        using var api = new TracesApi(shared.Server);
        var key = NewKey();
        var first = await api.PostAsync("/v1/traces/tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z/seal", null, key);
        var retry = await api.PostAsync("/v1/traces/tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z/seal", null, key);
        await TracesApi.AssertProblemAsync(first, HttpStatusCode.NotFound, "trace_not_found");
        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
    }

    [Fact]
    public async Task InvalidKey_IsValidationError()
    {
        using var api = new TracesApi(shared.Server);
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", """{"label":"x"}""", new string('k', 256)),
            HttpStatusCode.BadRequest, "validation_error");
    }

    [Fact]
    public async Task Replay_SurvivesARestart()
    {
        var dataDirectory = TestServers.NewDataDirectory();
        try
        {
            var key = NewKey();
            string firstBody;
            string apiKey;
            await using (var server = await TestServers.StartAsync(dataDirectory: dataDirectory))
            {
                using var api = new TracesApi(server);
                apiKey = server.ApiKey;
                var response = await api.PostAsync("/v1/traces", """{"label":"before restart"}""", key);
                firstBody = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            }

            await using (var restarted = await TestServers.StartAsync(dataDirectory: dataDirectory))
            {
                Assert.Equal(apiKey, restarted.ApiKey); // the generated default key is kept in the data directory
                using var api = new TracesApi(restarted);
                var replay = await api.PostAsync("/v1/traces", """{"label":"before restart"}""", key);
                Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
                Assert.Equal(1, (await api.GetJsonAsync("/v1/traces")).GetProperty("total").GetInt64());
            }
        }
        finally
        {
            TestServers.DeleteDirectory(dataDirectory);
        }
    }
}
