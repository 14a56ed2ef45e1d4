using System.Text;
using System.Text.Json;
using Traces.Client.Errors;
using Traces.Client.Vendors;
using Traces.Client.Vendors.SidClaw;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests.Vendors;

/// <summary>
/// SidClawClient against WireMock replaying what SidClaw's real server answered (tests/vectors/sidclaw/responses):
/// every endpoint's request and response, offset paging, error shapes, streamed exports.
/// </summary>
public sealed class SidClawClientTests : VendorTestBase
{
    private static readonly DateTimeOffset From = DateTimeOffset.Parse("2026-11-30T06:27:54.669Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly DateTimeOffset To = DateTimeOffset.Parse("2026-12-03T06:27:54.670Z", System.Globalization.CultureInfo.InvariantCulture);

    private SidClawClient Client(Action<SidClawClientOptions>? configure = null) => new(Fast(new SidClawClientOptions(), configure));

    [Fact]
    public async Task ListTraces_EveryFilter_IsTheQueryTheRealServerWasSent()
    {
        var capture = SidClawCapture.Load("02-traces-list-filtered");
        Replay(capture);
        using var client = Client();

        var list = await client.ListTracesAsync(new SidClawTraceListFilter
        {
            AgentId = "48c404f6-dcb6-4463-9a18-0eaf6abea64b",
            Outcome = SidClawOutcomes.Executed,
            From = From,
            To = To,
            Limit = 2,
            Offset = 1,
        }, Ct);

        var sent = Single("GET", "/api/v1/traces");
        AssertBearer(sent);
        Assert.Equal(capture.Query, RawQuery(sent));
        Assert.Equal(2, list.Data!.Count);
        Assert.Equal(2, list.Pagination!.Limit);
        Assert.Equal(1, list.Pagination.Offset);
        Assert.All(list.Data, t => Assert.Equal(SidClawOutcomes.Executed, t.FinalOutcome));
    }

    [Fact]
    public async Task ListAllTraces_FollowsOffsetUntilPaginationTotal()
    {
        static string Page(int offset, params string[] ids) =>
            "{\"data\":[" + string.Join(",", ids.Select(i => "{\"id\":\"" + i + "\",\"final_outcome\":\"executed\"}"))
            + "],\"pagination\":{\"total\":5,\"limit\":2,\"offset\":" + offset + "}}";
        Sequence("GET", "/api/v1/traces",
            Response.Create().WithBody(Page(0, "a", "b")),
            Response.Create().WithBody(Page(2, "c", "d")),
            Response.Create().WithBody(Page(4, "e")));
        using var client = Client();

        var ids = new List<string>();
        await foreach (var trace in client.ListAllTracesAsync(new SidClawTraceListFilter { Outcome = SidClawOutcomes.Executed, Limit = 2 }, Ct))
        {
            ids.Add(trace.Id!);
        }

        Assert.Equal(["a", "b", "c", "d", "e"], ids);
        Assert.Equal(["outcome=executed&limit=2&offset=0", "outcome=executed&limit=2&offset=2", "outcome=executed&limit=2&offset=4"], Requests("GET", "/api/v1/traces").Select(RawQuery));
    }

    [Fact]
    public async Task GetTrace_TypedWithEventsAndApprovals_AndTheDocumentIsTheServersBytes()
    {
        var capture = SidClawCapture.Load("04-trace-detail-approved_success");
        Replay(capture);
        using var client = Client();

        var trace = await client.GetTraceAsync("8413fd25-6a4b-4c00-bdfd-e061eb673c5e", Ct);
        var document = await client.GetTraceDocumentAsync("8413fd25-6a4b-4c00-bdfd-e061eb673c5e", Ct);

        Assert.Equal(SidClawOutcomes.CompletedWithApproval, trace.FinalOutcome);
        Assert.Equal(SidClawEventTypes.TraceInitiated, trace.Events![0].EventType);
        Assert.Equal(64, trace.Events[0].IntegrityHash!.Length);
        Assert.Equal("approved", Assert.Single(trace.ApprovalRequests!).Status);
        Assert.Equal(capture.Body, document);
    }

    [Fact]
    public async Task GetTrace_Unknown_IsNotFound_WithSidClawCodeMessageAndRequestId()
    {
        var capture = SidClawCapture.Load("12-trace-detail-unknown-404");
        Replay(capture);
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesNotFoundException>(() => client.GetTraceAsync("00000000-0000-0000-0000-000000000000", Ct));

        Assert.Equal(404, ex.Status);
        Assert.Equal(SidClawErrorCodes.NotFound, ex.ErrorCode);
        Assert.Equal(KnownErrorCode.NotFound, ex.KnownErrorCode);
        Assert.Equal("8aa63f3d-7add-4856-b1d2-955e839b7694", ex.RequestId);
        Assert.StartsWith("Trace '00000000-0000-0000-0000-000000000000' not found (status 404, code not_found", ex.Message, StringComparison.Ordinal);
        Assert.Equal(capture.BodyText, ex.RawBody);
    }

    [Fact]
    public async Task Evaluate_PostsTheRequest_AndReadsTheDecision()
    {
        var capture = SidClawCapture.Load("50-evaluate-approval");
        Replay(capture);
        using var client = Client();

        var evaluation = await client.EvaluateAsync(new SidClawEvaluateRequest
        {
            AgentId = "48c404f6-dcb6-4463-9a18-0eaf6abea64b",
            Operation = "send",
            TargetIntegration = "communications_service",
            ResourceScope = "customer_emails",
            DataClassification = "confidential",
        }, Ct);

        var sent = Single("POST", "/api/v1/evaluate");
        AssertBearer(sent);
        AssertJsonBody(capture.RequestBody!, sent);
        Assert.Equal(SidClawDecisions.ApprovalRequired, evaluation.Decision);
        Assert.Equal("7d5f007e-99a4-4bde-bf06-1494bda9e0c3", evaluation.ApprovalRequestId);
        Assert.Equal("high", evaluation.RiskClassification);
    }

    [Fact]
    public async Task Evaluate_BadBody_IsValidationError_KeepingTheDetails()
    {
        Replay(SidClawCapture.Load("53-evaluate-bad-body-400"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.EvaluateAsync(new SidClawEvaluateRequest { AgentId = "a", Operation = "read" }, Ct));

        Assert.Equal(KnownErrorCode.ValidationError, ex.KnownErrorCode);
        Assert.Equal(3, SidClawError.From(ex)!.Details!["issues"]!.AsArray().Count);
        Assert.Equal(3, ex.ProblemDetails!.AdditionalProperties!["details"].GetProperty("issues").GetArrayLength());
    }

    [Fact]
    public async Task RecordOutcome_SendsEveryMember_And204IsSuccess()
    {
        var capture = SidClawCapture.Load("21-outcome-flow-success-204");
        Replay(capture);
        using var client = Client();

        await client.RecordOutcomeAsync("b9aae4b1-dc7a-4c28-8810-c2d618ea3b9e", new SidClawOutcomeRequest
        {
            Status = "success",
            OutcomeSummary = "sent 1 email",
            TokensIn = 200,
            TokensOut = 80,
            TokensCacheRead = 10,
            Model = "harness-model",
            CostEstimate = 0.0042m,
            Metadata = new() { ["message_id"] = "m-1" },
        }, Ct);

        var sent = Single("POST", capture.Path);
        AssertBearer(sent);
        AssertJsonBody(capture.RequestBody!, sent);
    }

    [Fact]
    public async Task RecordOutcome_ErrorMembers_AreSentAndNothingElse()
    {
        var capture = SidClawCapture.Load("23-outcome-flow-error-after-success-204");
        Replay(capture);
        using var client = Client();

        await client.RecordOutcomeAsync("b9aae4b1-dc7a-4c28-8810-c2d618ea3b9e", new SidClawOutcomeRequest { Status = "error", ErrorClassification = "timeout", ExitCode = 124 }, Ct);

        Assert.Equal(capture.RequestBody, Single("POST", capture.Path).RequestMessage!.Body);
    }

    [Fact]
    public async Task RecordOutcome_OnBlockedTrace_IsConflict()
    {
        var capture = SidClawCapture.Load("13-outcome-on-blocked-409");
        Replay(capture);
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesConflictException>(() => client.RecordOutcomeAsync("3be714e3-de3d-4a26-a830-12d7f80a3e96", new SidClawOutcomeRequest { Status = "success" }, Ct));

        Assert.Equal(SidClawErrorCodes.Conflict, ex.ErrorCode);
        Assert.Equal("b453d3b9-c866-4991-b1fa-8aab75822ed0", ex.RequestId);
        Assert.Contains("Trace is finalized with outcome 'blocked'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordOutcome_ReadOnlyKey_IsAuthenticationError()
    {
        Replay(SidClawCapture.Load("18-outcome-readonly-key-403"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesAuthenticationException>(() => client.RecordOutcomeAsync("7443a892-1996-43a8-873e-5582def2840b", new SidClawOutcomeRequest { Status = "success" }, Ct));

        Assert.Equal(403, ex.Status);
        Assert.Equal(SidClawErrorCodes.Forbidden, ex.ErrorCode);
    }

    [Fact]
    public async Task RecordOutcomeAndTelemetry_On503_AreSentExactlyOnce()
    {
        Json("POST", "/api/v1/traces/t1/outcome", 503, """{"error":"internal_error","message":"down","status":503,"request_id":"r"}""");
        Json("PATCH", "/api/v1/traces/t1/telemetry", 503, """{"error":"internal_error","message":"down","status":503,"request_id":"r"}""");
        using var client = Client();

        await Assert.ThrowsAsync<TracesApiException>(() => client.RecordOutcomeAsync("t1", new SidClawOutcomeRequest { Status = "success" }, Ct));
        await Assert.ThrowsAsync<TracesApiException>(() => client.AppendTelemetryAsync("t1", new SidClawTelemetryRequest { TokensIn = 5 }, Ct));

        Assert.Null(Header(Single("POST", "/api/v1/traces/t1/outcome"), "Idempotency-Key"));
        Single("PATCH", "/api/v1/traces/t1/telemetry");
    }

    [Fact]
    public async Task AppendTelemetry_IsPatchWithTheBody()
    {
        var capture = SidClawCapture.Load("25-outcome-flow-telemetry-204");
        Replay(capture);
        using var client = Client();

        await client.AppendTelemetryAsync("b9aae4b1-dc7a-4c28-8810-c2d618ea3b9e", new SidClawTelemetryRequest { TokensIn = 5, CostEstimate = 0.0001m }, Ct);

        Assert.Equal(capture.RequestBody, Single("PATCH", capture.Path).RequestMessage!.Body);
    }

    [Fact]
    public async Task VerifyTrace_ReadsTheRealShape()
    {
        Replay(SidClawCapture.Load("78-tamper-8-hash-field-verify"));
        using var client = Client();

        var verification = await client.VerifyTraceAsync("a955789e-e165-40df-b955-13099d87344e", Ct);

        Assert.False(verification.IsValid);
        Assert.Equal(2, verification.VerifiedEvents);
        Assert.Equal(SidClawEventTypes.PolicyEvaluated, verification.BrokenAt!.EventType);
    }

    [Fact]
    public async Task ExportTrace_TypedAndAsBytes()
    {
        var capture = SidClawCapture.Load("38-trace-export-approved");
        Replay(capture);
        using var client = Client();

        var export = await client.ExportTraceAsync("8413fd25-6a4b-4c00-bdfd-e061eb673c5e", Ct);
        var bytes = await client.ExportTraceDocumentAsync("8413fd25-6a4b-4c00-bdfd-e061eb673c5e", Ct);

        Assert.Equal("8413fd25-6a4b-4c00-bdfd-e061eb673c5e", export.Trace!.Id);
        Assert.Equal("ok, go", Assert.Single(export.ApprovalRequests!).DecisionNote);
        Assert.Equal(capture.Body, bytes);
    }

    [Fact]
    public async Task ExportTracesCsv_StreamsRowsWithTotalCountAndFileName()
    {
        var capture = SidClawCapture.Load("42-traces-export-csv-agent");
        Replay(capture);
        using var client = Client();

        await using var export = await client.ExportTracesCsvAsync(From, To, "48c404f6-dcb6-4463-9a18-0eaf6abea64b", Ct);
        var rows = new List<SidClawTraceExportRow>();
        await foreach (var row in export.ReadRowsAsync(Ct))
        {
            rows.Add(row);
        }

        Assert.Equal(capture.Query, RawQuery(Single("GET", "/api/v1/traces/export")));
        Assert.Equal(long.Parse(capture.Header("x-total-count")!, System.Globalization.CultureInfo.InvariantCulture), export.TotalCount);
        Assert.Equal(export.TotalCount, rows.Count);
        Assert.Equal("text/csv", export.MediaType);
        Assert.Equal("audit-2026-11-30-to-2026-12-03.csv", export.FileName);
        var approved = rows.Single(r => r.TraceId == "8413fd25-6a4b-4c00-bdfd-e061eb673c5e");
        Assert.Equal("Harness Reviewer", approved.ApproverName);
        Assert.True(approved.ApprovalRequired);
        Assert.Equal(131, approved.DurationMs);
        Assert.Equal(1, approved.PolicyVersion);
        var pending = rows.Single(r => r.TraceId == "1983cb5a-a376-4be3-bbee-9c9821603151");
        Assert.Null(pending.CompletedAt);
        Assert.Null(pending.DurationMs);
        Assert.Equal("pending", pending.ApprovalDecision);
    }

    [Fact]
    public async Task ExportTracesCsv_CopyTo_WritesTheBytesSent()
    {
        var capture = SidClawCapture.Load("41-traces-export-csv");
        Replay(capture);
        using var client = Client();
        using var file = new MemoryStream();

        await using var export = await client.ExportTracesCsvAsync(From, To, cancellationToken: Ct);
        var copied = await export.CopyToAsync(file, Ct);

        Assert.Equal(capture.Body, file.ToArray());
        Assert.Equal(capture.Body.Length, copied);
    }

    [Fact]
    public async Task ExportTracesCsv_OtherFormatOrNoRange_AreTheServersValidationErrors()
    {
        Replay(SidClawCapture.Load("44-traces-export-no-range-400"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.ExportTracesCsvAsync(From, To, cancellationToken: Ct));

        Assert.Equal("from and to query params are required (status 400, code validation_error, request id 62983229-ac7b-4569-a6b4-0b35142d8258)", ex.Message);
    }

    [Fact]
    public async Task AuditExport_JsonAndCsv_GiveTheSameSixtyOneEvents()
    {
        var json = SidClawCapture.Load("45-audit-export-json");
        var csv = SidClawCapture.Load("46-audit-export-csv");
        Server.Given(Request.Create().WithPath("/api/v1/audit/export").WithParam("format", "json").UsingGet()).RespondWith(
            Response.Create().WithHeader("Content-Type", "application/json; charset=utf-8").WithHeader("x-total-count", "61").WithBody(json.Body));
        Server.Given(Request.Create().WithPath("/api/v1/audit/export").WithParam("format", "csv").UsingGet()).RespondWith(
            Response.Create().WithHeader("Content-Type", "text/csv").WithHeader("x-total-count", "61").WithBody(csv.Body));
        using var client = Client();

        var fromJson = new List<SidClawAuditEvent>();
        await foreach (var e in client.StreamAuditEventsAsync(From, To, SidClawExportFormat.Json, Ct))
        {
            fromJson.Add(e);
        }

        var fromCsv = new List<SidClawAuditEvent>();
        await foreach (var e in client.StreamAuditEventsAsync(From, To, SidClawExportFormat.Csv, Ct))
        {
            fromCsv.Add(e);
        }

        Assert.Equal(61, fromJson.Count);
        Assert.Equal(
            fromJson.Select(e => JsonSerializer.Serialize(e, VendorJsonContext.Default.SidClawAuditEvent)),
            fromCsv.Select(e => JsonSerializer.Serialize(e, VendorJsonContext.Default.SidClawAuditEvent)));
        Assert.Contains(fromCsv, e => e.Description!.Contains("\"quoted\", comma", StringComparison.Ordinal));
        Assert.All(fromJson.Where(e => e.IntegrityHash is not null), e => Assert.Matches("^[0-9a-f]{64}$", e.IntegrityHash!));
        Assert.Equal(["from=2026-11-30T06%3A27%3A54.669Z&to=2026-12-03T06%3A27%3A54.670Z&format=json", "from=2026-11-30T06%3A27%3A54.669Z&to=2026-12-03T06%3A27%3A54.670Z&format=csv"],
            Requests("GET", "/api/v1/audit/export").Select(RawQuery));
    }

    [Fact]
    public async Task AuditExport_RuntimeKey_IsForbidden()
    {
        Replay(SidClawCapture.Load("47-audit-export-runtime-key-403"));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesAuthenticationException>(() => client.ExportAuditEventsAsync(From, To, cancellationToken: Ct));

        Assert.Equal(SidClawErrorCodes.Forbidden, ex.ErrorCode);
    }

    [Theory]
    [InlineData(SidClawExportFormat.Json)]
    [InlineData(SidClawExportFormat.Csv)]
    public async Task AuditExport_CutShort_IsInvalidResponseNotASilentlyShorterList(SidClawExportFormat format)
    {
        var capture = SidClawCapture.Load(format == SidClawExportFormat.Json ? "45-audit-export-json" : "46-audit-export-csv");
        var text = capture.BodyText;

        // JSON: cut inside an element; CSV: cut at a line end (a well-formed but shorter file), caught by x-total-count.
        var cut = format == SidClawExportFormat.Json ? text[..(text.Length / 2)] : text[..text.LastIndexOf('\n', text.Length / 2)];
        Server.Given(Request.Create().WithPath("/api/v1/audit/export").UsingGet()).RespondWith(
            Response.Create().WithHeader("x-total-count", "61").WithBody(cut));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesApiException>(async () =>
        {
            await foreach (var unused in client.StreamAuditEventsAsync(From, To, format, Ct))
            {
            }
        });

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
        Assert.Equal(200, ex.Status);
    }

    [Fact]
    public async Task AuditExport_IsStreamed_TheFirstEventArrivesBeforeTheRestIsSent()
    {
        using var server = new TrickleServer(
            "Content-Type: application/json\r\nx-total-count: 2\r\n",
            """[{"event_id":"e1","trace_id":"t1","event_type":"trace_initiated","timestamp":"2026-12-02T06:27:08.521Z","integrity_hash":"aa"},""",
            """{"event_id":"e2","trace_id":"t1","event_type":"trace_closed","timestamp":"2026-12-02T06:27:08.525Z","integrity_hash":"bb"}]""");
        using var client = new SidClawClient(Fast(new SidClawClientOptions(), o => o.BaseUrl = server.Url));

        await using var export = await client.ExportAuditEventsAsync(From, To, cancellationToken: Ct);
        var events = export.ReadEventsAsync(Ct).GetAsyncEnumerator(Ct);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("e1", events.Current.EventId);
        Assert.False(server.RestSent);

        server.Release();
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("e2", events.Current.EventId);
        Assert.False(await events.MoveNextAsync());
        await events.DisposeAsync();
        Assert.Equal(2, export.TotalCount);
    }

    [Fact]
    public async Task ApprovalFlow_ApproveSendsTheDecision_AndReadsTheRequestWithContext()
    {
        var capture = SidClawCapture.Load("20-outcome-flow-approve");
        Replay(capture);
        using var client = Client();

        var approval = await client.ApproveAsync("66a6c479-b3de-41b8-b7f8-b4683d02e3df", new SidClawApprovalDecision { ApproverName = "Harness Reviewer", DecisionNote = "capture run" }, Ct);

        AssertJsonBody(capture.RequestBody!, Single("POST", capture.Path));
        Assert.Equal("approved", approval.Status);
        Assert.Equal("Traces SDK Harness Agent", approval.Agent!.Name);
        Assert.Equal(1, approval.PolicyRule!.PolicyVersion);
        Assert.NotEmpty(approval.TraceEvents!);
    }

    [Fact]
    public async Task NoKey_IsUnauthorized()
    {
        Replay(SidClawCapture.Load("55-traces-list-no-auth-401"));
        using var client = Client(o => o.ApiKey = null);

        var ex = await Assert.ThrowsAsync<TracesAuthenticationException>(() => client.ListTracesAsync(cancellationToken: Ct));

        Assert.Equal(KnownErrorCode.Unauthorized, ex.KnownErrorCode);
        Assert.Null(Header(Single("GET", "/api/v1/traces"), "Authorization"));
    }

    [Fact]
    public async Task RateLimited_WithRetryAfter_IsRetriedOnGet_AndReportedWhenRetriesAreOff()
    {
        const string Limited = """{"error":"rate_limit_exceeded","message":"Rate limit exceeded. Retry after 1 seconds.","status":429,"details":{"retry_after_seconds":1},"request_id":"r1"}""";
        Sequence("GET", "/api/v1/traces/t1/verify",
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody(Limited),
            Response.Create().WithBody("""{"verified":true,"total_events":3,"verified_events":3,"broken_at":null}"""));
        using (var client = Client())
        {
            var verification = await client.VerifyTraceAsync("t1", Ct);
            Assert.True(verification.Verified);
            Assert.Equal(2, Requests("GET", "/api/v1/traces/t1/verify").Count);
        }

        Server.Reset();
        Server.Given(Request.Create().WithPath("/api/v1/traces/t1/verify").UsingGet()).RespondWith(
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "7").WithBody(Limited));
        using var once = Client(o => o.MaxRetries = 0);

        var ex = await Assert.ThrowsAsync<TracesRateLimitedException>(() => once.VerifyTraceAsync("t1", Ct));

        Assert.Equal(TimeSpan.FromSeconds(7), ex.RetryAfter);
        Assert.Equal(SidClawErrorCodes.RateLimitExceeded, ex.ErrorCode);
    }

    [Fact]
    public void Options_DefaultIsSidClawsHostedApi_AndAPathPrefixIsKept()
    {
        Assert.Equal(new Uri("https://api.sidclaw.com/"), new SidClawClientOptions().Resolve().BaseUrl);
        var prefixed = new SidClawClientOptions { BaseUrl = new Uri("http://localhost:4000/sidclaw") }.Resolve();
        Assert.Equal(new Uri("http://localhost:4000/sidclaw/api/v1/traces"), new Uri(prefixed.BaseUrl, "api/v1/traces"));
    }
}
