using System.Net;
using System.Text;
using System.Text.Json;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

/// <summary>Every error code of docs/api.md, over real HTTP, as an RFC 7807 problem with a request id.</summary>
public sealed class ErrorCodeTests(SharedServer shared)
{
    private LocalTracesServer Server => shared.Server;

    [Fact]
    public async Task NoApiKey_IsUnauthorized()
    {
        using var anonymous = new TracesApi(Server.BaseAddress, apiKey: null);
        await TracesApi.AssertProblemAsync(await anonymous.GetAsync("/v1/traces"), HttpStatusCode.Unauthorized, "unauthorized");
        await TracesApi.AssertProblemAsync(await anonymous.PostAsync("/v1/traces", """{"label":"x"}"""), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task UnknownApiKey_IsUnauthorized()
    {
        using var api = new TracesApi(Server.BaseAddress, "tk_not_a_key");
        await TracesApi.AssertProblemAsync(await api.GetAsync("/v1/traces"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task BearerToken_IsAcceptedLikeXApiKey()
    {
        using var anonymous = new TracesApi(Server.BaseAddress, apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/traces?limit=1");
        TracesApi.SetBearer(request, Server.ApiKey);
        var response = await anonymous.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"label":"a","label":"b"}""", "duplicate")]
    [InlineData("""{"label":"x","metadata":{"n":9007199254740993}}""", "unsafe integer")]
    [InlineData("""{"label":"x","metadata":{"n":1e400}}""", "non-finite")]
    [InlineData("""{"label":"\ud800"}""", "lone surrogate")]
    [InlineData("""{"label":""", "truncated")]
    [InlineData("""not json""", "not JSON")]
    [InlineData("""[1,2]""", "not an object")]
    [InlineData("", "empty")]
    public async Task CreateTrace_WithBodyThatIsNotIJson_IsInvalidJson(string body, string why)
    {
        using var api = new TracesApi(Server);
        var problem = await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", body), HttpStatusCode.BadRequest, "invalid_json");
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()), why);
    }

    [Fact]
    public async Task EventPayload_WithDuplicateNamesDeepInside_IsInvalidJson_AndNothingIsStored()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();
        var response = await api.PostAsync("/v1/events", "{\"event_type\":\"x.y\",\"trace_id\":\"" + traceId + "\",\"payload\":{\"a\":{\"b\":1,\"b\":2}}}");
        await TracesApi.AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal(0, (await api.GetJsonAsync($"/v1/traces/{traceId}")).GetProperty("event_count").GetInt64());
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"label":""}""")]
    [InlineData("""{"label":"   "}""")]
    [InlineData("""{"label":42}""")]
    public async Task CreateTrace_WithoutUsableLabel_IsInvalidLabel(string body)
    {
        using var api = new TracesApi(Server);
        var problem = await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", body), HttpStatusCode.BadRequest, "invalid_label");
        Assert.True(problem.GetProperty("errors").TryGetProperty("label", out _));
    }

    [Fact]
    public async Task CreateTrace_WithLabelOf256Chars_IsInvalidLabel_And255IsAccepted()
    {
        using var api = new TracesApi(Server);
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", JsonSerializer.Serialize(new { label = new string('x', 256) })),
            HttpStatusCode.BadRequest, "invalid_label");
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/traces", JsonSerializer.Serialize(new { label = new string('x', 255) }))).StatusCode);
    }

    [Fact]
    public async Task Metadata_Over16KiBOfCanonicalJson_IsMetadataTooLarge_AndExactly16KiBIsAccepted()
    {
        using var api = new TracesApi(Server);
        // {"k":"<n chars>"} is 8 + n bytes in RFC 8785 form.
        var exact = JsonSerializer.Serialize(new { label = "m", metadata = new { k = new string('a', 16384 - 8) } });
        var over = JsonSerializer.Serialize(new { label = "m", metadata = new { k = new string('a', 16384 - 7) } });
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/traces", exact)).StatusCode);
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", over), HttpStatusCode.BadRequest, "metadata_too_large");
    }

    [Fact]
    public async Task StepMetadata_Over16KiB_IsMetadataTooLarge()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();
        var body = JsonSerializer.Serialize(new { type = "THOUGHT", content = "x", metadata = new { k = new string('a', 16384) } });
        await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", body), HttpStatusCode.BadRequest, "metadata_too_large");
    }

    [Theory]
    [InlineData("""{"type":"MUSING","content":"x"}""", "type")]
    [InlineData("""{"type":"THOUGHT"}""", "content")]
    [InlineData("""{"type":"THOUGHT","content":"x","metadata":[1]}""", "metadata")]
    public async Task AddStep_WithBadField_IsValidationErrorNamingTheField(string body, string field)
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();
        var problem = await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", body), HttpStatusCode.BadRequest, "validation_error");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("/v1/events", """{"payload":{}}""", "event_type")]
    [InlineData("/v1/events", """{"event_type":"bad type!","payload":{}}""", "event_type")]
    [InlineData("/v1/events", """{"event_type":"trace.sealed","payload":{}}""", "event_type")]
    [InlineData("/v1/events", """{"event_type":"a.b"}""", "payload")]
    [InlineData("/v1/document/anchor", """{"document_hash":"abc"}""", "document_hash")]
    [InlineData("/v1/ai/attestations", """{"type":"output","payload":{"input":"i"}}""", "payload.output")]
    [InlineData("/v1/ai/attestations", """{"type":"output","input":"i","output":"o"}""", "payload")]
    [InlineData("/v1/traces", """{"label":"x","tags":"one"}""", "tags")]
    [InlineData("/v1/traces", """{"label":"x","description":7}""", "description")]
    public async Task Ingest_WithBadField_IsValidationError(string path, string body, string field)
    {
        using var api = new TracesApi(Server);
        var problem = await TracesApi.AssertProblemAsync(await api.PostAsync(path, body), HttpStatusCode.BadRequest, "validation_error");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("status=active", "status")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("from=yesterday", "from")]
    public async Task ListTraces_WithBadQuery_IsValidationError(string query, string field)
    {
        using var api = new TracesApi(Server);
        var problem = await TracesApi.AssertProblemAsync(await api.GetAsync("/v1/traces?" + query), HttpStatusCode.BadRequest, "validation_error");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("GET", "/v1/traces/{0}")]
    [InlineData("POST", "/v1/traces/{0}/steps")]
    [InlineData("POST", "/v1/traces/{0}/seal")]
    [InlineData("POST", "/v1/traces/{0}/complete")]
    [InlineData("GET", "/v1/traces/{0}/proof")]
    [InlineData("POST", "/v1/traces/{0}/verify")]
    [InlineData("GET", "/v1/traces/{0}/certificate")]
    public async Task UnknownTrace_IsTraceNotFound_OnEveryEndpoint(string method, string template)
    {
        using var api = new TracesApi(Server);
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z");
        var response = method == "GET" ? await api.GetAsync(path) : await api.PostAsync(path, """{"type":"THOUGHT","content":"x"}""");
        await TracesApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "trace_not_found");
    }

    [Fact]
    public async Task IngestIntoUnknownTrace_IsTraceNotFound()
    {
        using var api = new TracesApi(Server);
        var response = await api.PostAsync("/v1/events", """{"event_type":"a.b","payload":{},"trace_id":"tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z"}""");
        await TracesApi.AssertProblemAsync(response, HttpStatusCode.NotFound, "trace_not_found");
    }

    [Fact]
    public async Task Seal_OfEmptyTrace_IsEmptyTrace_AndTheTraceStaysOpen()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();
        await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/seal", null), HttpStatusCode.BadRequest, "empty_trace");
        Assert.Equal("open", (await api.GetJsonAsync($"/v1/traces/{traceId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenTrace_ProofAndCertificateAreConflict_VerifyIsBadRequest()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();
        await api.AddStepAsync(traceId, "x");
        await TracesApi.AssertProblemAsync(await api.GetAsync($"/v1/traces/{traceId}/proof"), HttpStatusCode.Conflict, "trace_not_sealed");
        await TracesApi.AssertProblemAsync(await api.GetAsync($"/v1/traces/{traceId}/certificate"), HttpStatusCode.Conflict, "trace_not_sealed");
        await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/verify", null), HttpStatusCode.BadRequest, "trace_not_sealed");
    }

    [Fact]
    public async Task SealedTrace_RefusesNewEntriesOnEveryIngestPath()
    {
        using var api = new TracesApi(Server);
        var traceId = await api.CreateTraceAsync();
        await api.AddStepAsync(traceId, "x");
        await api.SealAndWaitAsync(traceId);

        await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", """{"type":"THOUGHT","content":"late"}"""),
            HttpStatusCode.Conflict, "trace_sealed");
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/events", $$"""{"event_type":"a.b","payload":{},"trace_id":"{{traceId}}"}"""),
            HttpStatusCode.Conflict, "trace_sealed");
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/document/anchor", $$"""{"document_hash":"{{new string('a', 64)}}","trace_id":"{{traceId}}"}"""),
            HttpStatusCode.Conflict, "trace_sealed");
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/ai/attestations", $$"""{"type":"t","payload":{"input":"i","output":"o"},"trace_id":"{{traceId}}"}"""),
            HttpStatusCode.Conflict, "trace_sealed");
        Assert.Equal(1, (await api.GetJsonAsync($"/v1/traces/{traceId}")).GetProperty("event_count").GetInt64());
    }

    [Fact]
    public async Task Body_OverOneMebibyte_IsPayloadTooLarge()
    {
        using var api = new TracesApi(Server);
        var body = JsonSerializer.Serialize(new { label = "big", description = new string('x', 1024 * 1024) });
        await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", body), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Body_OverLimitWithoutContentLength_IsPayloadTooLarge()
    {
        using var api = new TracesApi(Server);
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { label = "big", description = new string('x', 1100 * 1024) }));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new StreamContent(new ChunkedStream(bytes)) };
        request.Headers.TransferEncodingChunked = true;
        var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        await TracesApi.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task EventPayload_Over256KiB_IsValidationError()
    {
        using var api = new TracesApi(Server);
        var body = JsonSerializer.Serialize(new { event_type = "a.b", payload = new { blob = new string('x', 256 * 1024) } });
        var problem = await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/events", body), HttpStatusCode.BadRequest, "validation_error");
        Assert.True(problem.GetProperty("errors").TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task UnknownRoute_IsProblemJson()
    {
        using var api = new TracesApi(Server);
        await TracesApi.AssertProblemAsync(await api.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
    }

    /// <summary>A stream without a known length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
