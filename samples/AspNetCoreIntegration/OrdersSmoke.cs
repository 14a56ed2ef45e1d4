using System.Net.Http.Json;
using System.Text.Json;

namespace AspNetCoreIntegration;

/// <summary>What the smoke run saw.</summary>
public sealed record SmokeResult(int ExitCode, string? TraceId, long? EventCount, string? Verdict, bool RetryReplayed);

/// <summary>Starts the app, posts one order over HTTP, waits for the background seal, checks the verification, stops.</summary>
public static class OrdersSmoke
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<SmokeResult> RunAsync(TextWriter output, OrdersTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var orders = await OrdersApp.StartAsync([], target, LogLevel.Warning, cancellationToken);
        using var http = new HttpClient { BaseAddress = orders.Addresses[0] };
        output.WriteLine($"Orders API smoke test against {http.BaseAddress} ({(target.Endpoint is null ? "embedded Traces server" : target.Endpoint.ToString())})");

        var order = new OrderRequest($"ORD-{Random.Shared.Next(100_000, 999_999)}", 129.90m, "EUR");
        var response = await http.PostAsJsonAsync("orders", order, s_json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var accepted = (await response.Content.ReadFromJsonAsync<OrderAccepted>(s_json, cancellationToken))!;
        output.WriteLine($"  POST /orders            {(int)response.StatusCode} order {order.OrderId}: trace {accepted.TraceId} ({accepted.Status})");

        // The client retries the same order (say its connection dropped): the idempotency keys replay, nothing is recorded twice.
        var retried = await http.PostAsJsonAsync("orders", order, s_json, cancellationToken);
        var replayed = (await retried.Content.ReadFromJsonAsync<OrderAccepted>(s_json, cancellationToken))!;
        output.WriteLine($"  POST /orders (again)    {(int)retried.StatusCode} same trace: {replayed.TraceId == accepted.TraceId}");

        // The response came back before sealing; poll the app until its background service has sealed the trace.
        OrderTraceStatus? status = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (status?.Status is not ("sealed" or "failed"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            status = await http.GetFromJsonAsync<OrderTraceStatus>($"orders/traces/{accepted.TraceId}", s_json, deadline.Token);
        }

        output.WriteLine($"  GET  /orders/traces/…   {status.Status}, {status.EventCount} entries, composite {status.CompositeHash}");

        var verification = (await http.GetFromJsonAsync<OrderVerification>($"orders/traces/{accepted.TraceId}/verification", s_json, cancellationToken))!;
        output.WriteLine($"  GET  …/verification     {verification.Verdict} ({verification.EntryCount} entries; keys from {verification.TrustedKeysFrom})");
        foreach (var finding in verification.Findings)
        {
            output.WriteLine($"    finding {finding}");
        }

        var sameTrace = replayed.TraceId == accepted.TraceId;
        var exit = verification.Verdict == "Valid" && sameTrace ? 0 : 1;
        return new SmokeResult(exit, accepted.TraceId, status.EventCount, verification.Verdict, sameTrace);
    }
}
