using Traces.Client.Errors;
using Traces.Client.Vendors.StateBase;
using Traces.Client.Vendors.ZenMesh;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests.Vendors;

/// <summary>ZenMeshClient against WireMock: the delivery trace, cursor paging, one delivery, RFC 7807 errors.</summary>
public sealed class ZenMeshClientTests : VendorTestBase
{
    private ZenMeshClient Client(Action<ZenMeshClientOptions>? configure = null) =>
        new(Fast(new ZenMeshClientOptions { TenantId = "ten_1" }, configure));

    [Fact]
    public async Task DeliveryTrace_OfAnEvent_IsTheSeedsRequestAndShape()
    {
        var seed = VendorJson.SeedExamples("zenmesh")[0];
        Json("GET", "/v1/tenants/ten_1/deliveries", 200, seed);
        using var client = Client();

        var list = await client.ListDeliveriesAsync(new ZenMeshDeliveryFilter { EventId = "evt_abc123" }, Ct);

        var sent = Single("GET", "/v1/tenants/ten_1/deliveries");
        AssertBearer(sent);
        Assert.Equal("event_id=evt_abc123", RawQuery(sent));
        Assert.Equal(["del_001", "del_002"], list.Deliveries!.Select(d => d.Id));
        Assert.Null(list.NextCursor);
    }

    [Fact]
    public async Task ListAllDeliveries_FollowsNextCursor_WithEveryFilter()
    {
        Sequence("GET", "/v1/tenants/ten_1/deliveries",
            Response.Create().WithBody("""{"deliveries":[{"id":"d1"},{"id":"d2"}],"next_cursor":"eyJvZmZzZXQiOjJ9"}"""),
            Response.Create().WithBody("""{"deliveries":[{"id":"d3"}],"next_cursor":"eyJvZmZzZXQiOjN9"}"""),
            Response.Create().WithBody("""{"deliveries":[],"next_cursor":null}"""));
        using var client = Client();

        var ids = new List<string>();
        await foreach (var delivery in client.ListAllDeliveriesAsync(new ZenMeshDeliveryFilter
        {
            EventId = "evt_1",
            Status = ZenMeshDeliveryStatus.Failed,
            DestinationId = "dest_1",
            SourceId = "src_1",
            Since = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero),
            Until = new DateTimeOffset(2026, 6, 30, 23, 59, 59, TimeSpan.Zero),
            Limit = 2,
        }, Ct))
        {
            ids.Add(delivery.Id!);
        }

        const string Filters = "event_id=evt_1&status=failed&destination_id=dest_1&source_id=src_1&since=2026-06-01T00%3A00%3A00.000Z&until=2026-06-30T23%3A59%3A59.000Z&limit=2";
        Assert.Equal(["d1", "d2", "d3"], ids);
        Assert.Equal([Filters, Filters + "&cursor=eyJvZmZzZXQiOjJ9", Filters + "&cursor=eyJvZmZzZXQiOjN9"], Requests("GET", "/v1/tenants/ten_1/deliveries").Select(RawQuery));
    }

    [Fact]
    public async Task GetDelivery_ReadsTheExamplesPageShapeToo()
    {
        Json("GET", "/v1/tenants/ten_1/deliveries/dlv_abc123", 200,
            """{"id":"dlv_abc123","status":"delivered","source_id":"src_456","destination_id":"dest_789","attempts":2,"created_at":"2026-06-01T12:00:00Z","delivered_at":"2026-06-01T12:00:03Z"}""");
        using var client = Client();

        var delivery = await client.GetDeliveryAsync("dlv_abc123", Ct);

        VendorJson.AssertNothingLeftOver(delivery, "delivery");
        Assert.Equal(2, delivery.Attempts);
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 12, 0, 3, TimeSpan.Zero), delivery.DeliveredAt);
    }

    [Fact]
    public async Task NotFound_Rfc7807_IsNotFoundWithTheTypesLastSegmentAsCode()
    {
        var problem = VendorJson.SeedExamples("zenmesh")[1];
        Server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/v1/tenants/ten_1/deliveries").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithHeader("Content-Type", "application/problem+json").WithBody(problem));
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesNotFoundException>(() => client.ListDeliveriesAsync(new ZenMeshDeliveryFilter { EventId = "evt_abc123" }, Ct));

        Assert.Equal("not-found", ex.ErrorCode);
        Assert.Equal(KnownErrorCode.NotFound, ex.KnownErrorCode);
        Assert.Equal("https://api.zen-mesh.io/errors/not-found", ex.ProblemDetails!.Type);
        Assert.Equal("req_abc123", ex.ProblemDetails.Instance);
        Assert.StartsWith("No deliveries found for event evt_abc123. (status 404, code not-found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoTenant_IsAClearErrorBeforeSending()
    {
        if (Environment.GetEnvironmentVariable(ZenMeshClientOptions.TenantIdEnvironmentVariable) is { Length: > 0 })
        {
            Assert.Skip("ZEN_TENANT_ID is set in this environment, so the client has a tenant.");
        }

        using var client = new ZenMeshClient(Fast(new ZenMeshClientOptions()));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetDeliveryAsync("d1", Ct));

        Assert.Contains("ZEN_TENANT_ID", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Server.LogEntries);
    }
}

/// <summary>StateBaseClient against WireMock: X-API-Key, every filter, <c>starting_after</c>/<c>has_more</c> paging, errors.</summary>
public sealed class StateBaseClientTests : VendorTestBase
{
    private StateBaseClient Client(Action<StateBaseClientOptions>? configure = null) => new(Fast(new StateBaseClientOptions(), configure));

    [Fact]
    public async Task ListTraces_SendsEveryFilter_WithXApiKey()
    {
        Json("GET", "/v1/traces", 200, """{"object":"list","data":[{"id":"trace_1","action":"state.updated"}],"has_more":false}""");
        using var client = Client();

        var list = await client.ListTracesAsync(new StateBaseTraceListFilter
        {
            SessionId = "sess_1",
            UserId = "user_1",
            Action = StateBaseTraceActions.StateUpdated,
            CreatedAfter = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedBefore = new DateTimeOffset(2026, 1, 31, 23, 59, 59, TimeSpan.Zero),
            ResourceType = "session",
            ResourceId = "sess_1",
            Limit = 10,
            StartingAfter = "trace_0",
        }, Ct);

        var sent = Single("GET", "/v1/traces");
        Assert.Equal(ApiKey, Header(sent, "X-API-Key"));
        Assert.Null(Header(sent, "Authorization"));
        Assert.Equal(
            "session_id=sess_1&user_id=user_1&action=state.updated&created_after=2026-01-01T00%3A00%3A00.000Z&created_before=2026-01-31T23%3A59%3A59.000Z"
            + "&start_time=2026-01-01T00%3A00%3A00.000Z&end_time=2026-01-31T23%3A59%3A59.000Z&resource_type=session&resource_id=sess_1&limit=10&starting_after=trace_0",
            RawQuery(sent));
        Assert.False(list.HasMore);
    }

    [Fact]
    public async Task ListAllTraces_PagesOnStartingAfter_LastIdOrTheLastItem()
    {
        Sequence("GET", "/v1/traces",
            Response.Create().WithBody("""{"object":"list","data":[{"id":"t1"},{"id":"t2"}],"has_more":true,"last_id":"t2"}"""),
            Response.Create().WithBody("""{"object":"list","data":[{"id":"t3"},{"id":"t4"}],"has_more":true}"""),
            Response.Create().WithBody("""{"object":"list","data":[{"id":"t5"}],"has_more":false}"""));
        using var client = Client();

        var ids = new List<string>();
        await foreach (var trace in client.ListAllTracesAsync(new StateBaseTraceListFilter { Action = StateBaseTraceActions.TurnAdded, Limit = 2 }, Ct))
        {
            ids.Add(trace.Id!);
        }

        Assert.Equal(["t1", "t2", "t3", "t4", "t5"], ids);
        Assert.Equal(["action=turn.added&limit=2", "action=turn.added&limit=2&starting_after=t2", "action=turn.added&limit=2&starting_after=t4"],
            Requests("GET", "/v1/traces").Select(RawQuery));
    }

    [Fact]
    public async Task ListAllTraces_ServerIgnoringStartingAfter_StopsWithInvalidResponse()
    {
        Json("GET", "/v1/traces", 200, """{"data":[{"id":"t1"},{"id":"t2"}],"has_more":true}""");
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesApiException>(async () =>
        {
            await foreach (var unused in client.ListAllTracesAsync(cancellationToken: Ct))
            {
            }
        });

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
        Assert.Equal(2, Requests("GET", "/v1/traces").Count);
    }

    [Fact]
    public async Task SessionTraces_AndGetTrace_HitTheApisPaths()
    {
        Json("GET", "/v1/traces/sessions/sess_1/traces", 200, """{"data":[{"id":"t1","session_id":"sess_1","action":"turn.added","resource_type":"turn","resource_id":"turn_1","actor":"key","timestamp":"2026-01-31T04:44:30Z"}],"has_more":false}""");
        Json("GET", "/v1/traces/t1", 200, """{"id":"t1","session_id":"sess_1","action":"turn.added","resource_type":"turn","resource_id":"turn_1","actor":"key","actor_id":null,"details":{"turn_number":5},"context":{"request_id":"req_1"},"timestamp":"2026-01-31T04:44:30Z","ip_address":null}""");
        using var client = Client();

        var traces = new List<StateBaseTrace>();
        await foreach (var trace in client.ListAllSessionTracesAsync("sess_1", StateBaseTraceActions.TurnAdded, 50, Ct))
        {
            traces.Add(trace);
        }

        var one = await client.GetTraceAsync("t1", Ct);

        Assert.Equal("limit=50&action=turn.added", RawQuery(Single("GET", "/v1/traces/sessions/sess_1/traces")));
        Assert.Equal("turn_1", Assert.Single(traces).ResourceId);
        VendorJson.AssertNothingLeftOver(one, "trace");
        Assert.Equal(5, one.Details!["turn_number"]!.GetValue<int>());
        Assert.Equal("req_1", one.Context!.RequestId);
    }

    [Fact]
    public async Task NotFound_StateBaseErrorObject_IsNotFoundWithItsCode()
    {
        Json("GET", "/v1/traces/t9", 404, """{"error":{"code":"trace_not_found","message":"Trace t9 doesn't exist or expired","type":"invalid_request_error","param":"trace_id"}}""");
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesNotFoundException>(() => client.GetTraceAsync("t9", Ct));

        Assert.Equal("trace_not_found", ex.ErrorCode);
        Assert.Equal(KnownErrorCode.TraceNotFound, ex.KnownErrorCode);
        Assert.StartsWith("Trace t9 doesn't exist or expired (status 404", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FastApiValidation_DetailArray_IsValidationErrorWithTheMessages()
    {
        Json("GET", "/v1/traces", 422, """{"detail":[{"loc":["query","limit"],"msg":"Input should be less than or equal to 100","type":"less_than_equal"}]}""");
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesValidationException>(() => client.ListTracesAsync(cancellationToken: Ct));

        Assert.Equal(422, ex.Status);
        Assert.StartsWith("Input should be less than or equal to 100 (status 422, request id req_", ex.Message, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, ex.ProblemDetails!.AdditionalProperties!["detail"].ValueKind);
    }
}
