using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>Every error code of docs/api.md and the seeds → the right exception type, code, status, request id and body.</summary>
public sealed class ErrorTests : WireMockTestBase
{
    public static TheoryData<int, string, Type, KnownErrorCode> ServiceErrors() => new()
    {
        { 400, "validation_error", typeof(TracesValidationException), KnownErrorCode.ValidationError },
        { 400, "invalid_json", typeof(TracesValidationException), KnownErrorCode.InvalidJson },
        { 400, "invalid_label", typeof(TracesValidationException), KnownErrorCode.InvalidLabel },
        { 400, "metadata_too_large", typeof(TracesValidationException), KnownErrorCode.MetadataTooLarge },
        { 400, "trace_not_sealed", typeof(TracesApiException), KnownErrorCode.TraceNotSealed },
        { 401, "unauthorized", typeof(TracesAuthenticationException), KnownErrorCode.Unauthorized },
        { 404, "trace_not_found", typeof(TracesNotFoundException), KnownErrorCode.TraceNotFound },
        { 409, "trace_sealing", typeof(TracesConflictException), KnownErrorCode.TraceSealing },
        { 409, "trace_sealed", typeof(TracesConflictException), KnownErrorCode.TraceSealed },
        { 409, "trace_not_sealed", typeof(TracesConflictException), KnownErrorCode.TraceNotSealed },
        { 413, "payload_too_large", typeof(TracesValidationException), KnownErrorCode.PayloadTooLarge },
        { 422, "empty_trace", typeof(TracesValidationException), KnownErrorCode.EmptyTrace },
        { 422, "idempotency_key_reused", typeof(TracesValidationException), KnownErrorCode.IdempotencyKeyReused },
        { 429, "rate_limited", typeof(TracesRateLimitedException), KnownErrorCode.RateLimited },
        { 500, "internal_error", typeof(TracesApiException), KnownErrorCode.InternalError },
        { 400, "TRACE_NOT_COMPLETED", typeof(TracesApiException), KnownErrorCode.TraceNotCompleted },
        { 404, "NOT_FOUND", typeof(TracesNotFoundException), KnownErrorCode.NotFound },
        { 404, "not_found", typeof(TracesNotFoundException), KnownErrorCode.NotFound },
        { 405, "not_found", typeof(TracesNotFoundException), KnownErrorCode.NotFound },
        { 405, "method_not_allowed", typeof(TracesApiException), KnownErrorCode.MethodNotAllowed },
        { 400, "bad_request", typeof(TracesValidationException), KnownErrorCode.BadRequest },
        { 408, "request_timeout", typeof(TracesApiException), KnownErrorCode.RequestTimeout },
        { 418, "brand_new_code", typeof(TracesApiException), KnownErrorCode.Unknown },
    };

    [Theory]
    [MemberData(nameof(ServiceErrors))]
    public async Task ProblemResponse_OnPost_MapsToTypedException(int status, string code, Type expectedType, KnownErrorCode known)
    {
        var body = $$"""{"type":"urn:traces:error:{{code}}","title":"t","status":{{status}},"detail":"d {{code}}","instance":"/v1/traces/tr_1/steps","code":"{{code}}","request_id":"req_body","errors":{"label":["must be at most 255 characters"]} }""";
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1/steps").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/problem+json")
                .WithHeader("x-request-id", "req_header").WithHeader("Retry-After", "7").WithBody(body));
        using var client = CreateClient(o => o.AutoIdempotencyKeys = false);

        var ex = await Assert.ThrowsAnyAsync<TracesApiException>(() =>
            client.Traces.AddStepAsync("tr_1", new AddStepRequest { Type = StepType.Thought, Content = "c" }, Ct));

        Assert.IsType(expectedType, ex);
        Assert.Equal(status, ex.Status);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(known, ex.KnownErrorCode);
        Assert.Equal("req_header", ex.RequestId);
        Assert.Equal("d " + code, ex.ProblemDetails!.Detail);
        Assert.Equal("must be at most 255 characters", Assert.Single(ex.ProblemDetails.Errors!["label"]));
        Assert.Equal(body, ex.RawBody);
        Assert.Contains(code, ex.Message, StringComparison.Ordinal);
        if (ex is TracesRateLimitedException limited)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), limited.RetryAfter);
        }

        // A POST without an Idempotency-Key is never repeated, whatever the status.
        Assert.Single(Requests("POST", "/v1/traces/tr_1/steps"));
    }

    [Fact]
    public async Task NotFound_OnGet_CarriesRequestIdFromBodyWhenNoHeader()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_x").UsingGet()).RespondWith(Response.Create().WithStatusCode(404)
            .WithBody("""{"title":"Trace not found","status":404,"code":"trace_not_found","request_id":"req_9"}"""));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesNotFoundException>(() => client.Traces.GetAsync("tr_x", Ct));

        Assert.Equal("req_9", ex.RequestId);
        Assert.Equal(KnownErrorCode.TraceNotFound, ex.KnownErrorCode);
    }

    [Fact]
    public async Task NovyxNestedErrorBody_IsUnderstood()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/trc_1/verify").UsingPost()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBody("""{"error":{"code":"TRACE_NOT_COMPLETED","message":"Trace must be completed before verification"}}"""));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.VerifyAsync("trc_1", Ct));

        Assert.Equal(KnownErrorCode.TraceNotCompleted, ex.KnownErrorCode);
        Assert.Equal(400, ex.Status);
    }

    [Fact]
    public async Task ConflictOnProof_WhileSealing_IsConflictException()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1/proof").UsingGet()).RespondWith(Response.Create().WithStatusCode(409)
            .WithBody("""{"status":409,"code":"trace_sealing"}"""));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesConflictException>(() => client.Traces.GetProofAsync("tr_1", Ct));
        Assert.Equal(KnownErrorCode.TraceSealing, ex.KnownErrorCode);
    }

    [Fact]
    public async Task LabelTooLong_FailsBeforeSending_WithServiceCode()
    {
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesValidationException>(() =>
            client.Traces.CreateAsync(new CreateTraceRequest { Label = new string('x', 256) }, Ct));

        Assert.Equal(KnownErrorCode.InvalidLabel, ex.KnownErrorCode);
        Assert.Equal(0, ex.Status);
        Assert.True(ex.Errors.ContainsKey("label"));
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task MissingLabelWithoutAgent_FailsBeforeSending()
    {
        using var client = CreateClient();
        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.Traces.CreateAsync(new CreateTraceRequest(), Ct));
        Assert.Equal(KnownErrorCode.InvalidLabel, ex.KnownErrorCode);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task MetadataOver16KB_FailsBeforeSending_ButExactly16KBIsSent()
    {
        Server.Given(Request.Create().WithPath("/v1/traces").UsingPost()).RespondWith(Response.Create().WithStatusCode(201).WithBody("""{"trace_id":"tr_1"}"""));
        using var client = CreateClient();

        // {"k":"…"} is 8 bytes of syntax around the value.
        var exactly = new JsonObject { ["k"] = new string('v', 16 * 1024 - 8) };
        var over = new JsonObject { ["k"] = new string('v', 16 * 1024 - 7) };
        await client.Traces.CreateAsync(new CreateTraceRequest { Label = "l", Metadata = exactly }, Ct);
        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.Traces.CreateAsync(new CreateTraceRequest { Label = "l", Metadata = over }, Ct));

        Assert.Equal(KnownErrorCode.MetadataTooLarge, ex.KnownErrorCode);
        Assert.Single(Requests("POST", "/v1/traces"));
    }

    [Fact]
    public async Task NullRequest_ThrowsArgumentNullException()
    {
        using var client = CreateClient();
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Traces.CreateAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Events.RecordAsync(null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Traces.VerifyOfflineAsync("tr_1", null!, Ct));
    }
}
