using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Traces.Verification.Bundles;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>A thin raw-HTTP client for the tests: they check the wire, so no SDK sits in between.</summary>
internal sealed class TracesApi : IDisposable
{
    public TracesApi(Uri baseAddress, string? apiKey)
    {
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            Http.DefaultRequestHeaders.Add("x-api-key", apiKey);
        }
    }

    public TracesApi(LocalTracesServer server) : this(server.BaseAddress, server.ApiKey)
    {
    }

    public HttpClient Http { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Task<HttpResponseMessage> PostAsync(string path, string? json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(request, Ct);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path, Ct);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonElement.Parse(body);
    }

    public async Task<JsonElement> PostJsonAsync(string path, string json, HttpStatusCode expected = HttpStatusCode.Created) =>
        await ReadJsonAsync(await PostAsync(path, json), expected);

    public async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ReadJsonAsync(await GetAsync(path), expected);

    public async Task<string> CreateTraceAsync(string label = "test trace", string? agentId = null)
    {
        var body = agentId is null ? JsonSerializer.Serialize(new { label }) : JsonSerializer.Serialize(new { label, agent_id = agentId });
        return (await PostJsonAsync("/v1/traces", body)).GetProperty("trace_id").GetString()!;
    }

    public Task<JsonElement> AddStepAsync(string traceId, string content, string type = "THOUGHT") =>
        PostJsonAsync($"/v1/traces/{traceId}/steps", JsonSerializer.Serialize(new { type, content }));

    /// <summary>Seals and polls until the trace leaves <c>sealing</c>; returns the trace.</summary>
    public async Task<JsonElement> SealAndWaitAsync(string traceId, TimeSpan? timeout = null)
    {
        var accepted = await PostAsync($"/v1/traces/{traceId}/seal", null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return await WaitForSealAsync(traceId, timeout);
    }

    public async Task<JsonElement> WaitForSealAsync(string traceId, TimeSpan? timeout = null)
    {
        // A bound, not an expectation: the first seal of a test process also waits for the background RSA-4096 key, which
        // on a loaded 2-core machine has taken more than 15 s.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var trace = await GetJsonAsync($"/v1/traces/{traceId}");
            if (trace.GetProperty("status").GetString() != "sealing")
            {
                return trace;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Trace {traceId} still sealing.");
            await Task.Delay(50, Ct);
        }
    }

    public async Task<ProofBundle> GetProofAsync(string traceId)
    {
        var response = await GetAsync($"/v1/traces/{traceId}/proof");
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize(bytes, TracesJsonContext.Strict.ProofBundle)!;
    }

    public async Task<PublishedKeySet> GetPublicKeysAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = Http.BaseAddress };
        var response = await anonymous.GetAsync("/v1/traces/public-key", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(Ct), TracesJsonContext.Strict.PublishedKeySet)!;
    }

    /// <summary>Asserts an RFC 7807 problem with the given status and code, and a request id.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonElement.Parse(body);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:traces:error:" + code, problem.GetProperty("type").GetString());
        var requestId = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.Equal(requestId, problem.GetProperty("request_id").GetString());
        return problem;
    }

    public static void SetBearer(HttpRequestMessage request, string key) =>
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

    public void Dispose() => Http.Dispose();
}
