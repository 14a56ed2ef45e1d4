using System.Text.Json.Nodes;
using Traces.Client;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Verification;

namespace AspNetCoreIntegration;

public sealed record OrderRequest(string OrderId, decimal Amount, string Currency);

public sealed record OrderAccepted(string OrderId, string TraceId, string Status);

public sealed record OrderTraceStatus(string TraceId, string? Status, long? EventCount, string? CompositeHash, string? SealError);

public sealed record OrderVerification(string TraceId, string Verdict, long EntryCount, string? CompositeHash, string TrustedKeysFrom, IReadOnlyList<string> Findings);

/// <summary>The order workflow: each step of one order is an entry of one trace; sealing happens after the response.</summary>
public static class OrdersEndpoints
{
    /// <summary>The agent id every order trace carries, so the sealing service can find its unfinished seals after a restart.</summary>
    public const string AgentId = "orders-api";

    public static void MapOrders(this IEndpointRouteBuilder app)
    {
        app.MapPost("/orders", RecordOrderAsync);
        app.MapGet("/orders/traces/{traceId}", GetStatusAsync);
        app.MapGet("/orders/traces/{traceId}/verification", VerifyAsync);
    }

    private static async Task<IResult> RecordOrderAsync(OrderRequest order, TracesClient traces, SealQueue sealQueue, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(order.OrderId) || order.Amount <= 0 || string.IsNullOrWhiteSpace(order.Currency))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["order"] = ["order_id, a positive amount and currency are required."] });
        }

        try
        {
            // Idempotency keys derived from the order id: if the caller retries POST /orders for the same order, every
            // call below replays its first answer (same trace, same entries) instead of recording the order twice.
            var trace = await traces.Traces.CreateAsync(new CreateTraceRequest
            {
                Label = $"Order {order.OrderId}",
                AgentId = AgentId,
                Metadata = new JsonObject { ["order_id"] = order.OrderId },
                IdempotencyKey = $"order-{order.OrderId}",
            }, ct);
            var traceId = trace.TraceId!;

            // The workflow itself is simulated; what matters is that each step is recorded as it happens.
            await RecordAsync(traces, traceId, order, "order.received", new JsonObject { ["order_id"] = order.OrderId, ["amount"] = order.Amount, ["currency"] = order.Currency }, ct);
            await RecordAsync(traces, traceId, order, "payment.authorized", new JsonObject { ["order_id"] = order.OrderId, ["authorization"] = $"AUTH-{order.OrderId}", ["amount"] = order.Amount }, ct);
            await RecordAsync(traces, traceId, order, "order.shipped", new JsonObject { ["order_id"] = order.OrderId, ["carrier"] = "DHL", ["tracking"] = $"TRK-{order.OrderId}" }, ct);

            // Sealing can take seconds on a real service: hand it to the background service and answer now.
            await sealQueue.EnqueueAsync(traceId, ct);
            return Results.Accepted($"/orders/traces/{traceId}", new OrderAccepted(order.OrderId, traceId, "sealing"));
        }
        catch (TracesApiException ex) when (ex.KnownErrorCode == KnownErrorCode.IdempotencyKeyReused)
        {
            // The same order id was posted before with different content.
            return Results.Conflict(new { code = ex.ErrorCode, message = $"Order {order.OrderId} was already recorded with different details." });
        }
    }

    private static Task<EntryReceipt> RecordAsync(TracesClient traces, string traceId, OrderRequest order, string eventType, JsonObject payload, CancellationToken ct) =>
        traces.Events.RecordAsync(new RecordEventRequest { EventType = eventType, Payload = payload, TraceId = traceId, IdempotencyKey = $"order-{order.OrderId}-{eventType}" }, ct);

    private static async Task<IResult> GetStatusAsync(string traceId, TracesClient traces, CancellationToken ct)
    {
        try
        {
            var trace = await traces.Traces.GetAsync(traceId, ct);
            return Results.Ok(new OrderTraceStatus(traceId, trace.Status?.Value, trace.EventCount, trace.CompositeHash, trace.Error?.Code));
        }
        catch (TracesNotFoundException)
        {
            return Results.NotFound();
        }
    }

    private static async Task<IResult> VerifyAsync(string traceId, TracesClient traces, PinnedKeys keys, CancellationToken ct)
    {
        try
        {
            // Offline: the bundle is fetched, then every hash and signature is recomputed here under pinned keys.
            var proof = await traces.Traces.GetProofAsync(traceId, ct);
            var report = new BundleVerifier(await keys.GetAsync(ct)).Verify(proof);
            return Results.Ok(new OrderVerification(traceId, report.Verdict.ToString(), report.EntryCount, report.CompositeHash, keys.Source,
                report.Findings.Select(f => $"{f.Code}: {f.Message}").ToList()));
        }
        catch (TracesNotFoundException)
        {
            return Results.NotFound();
        }
        catch (TracesConflictException ex)
        {
            // trace_not_sealed / trace_sealing: not ready yet.
            return Results.Conflict(new { code = ex.ErrorCode, message = ex.Message });
        }
    }
}
