// A web API that records one trace per order workflow and seals it in the background.
//   dotnet run --project samples/AspNetCoreIntegration            serve (POST /orders, GET /orders/traces/{id})
//   dotnet run --project samples/AspNetCoreIntegration -- --smoke  one order end to end, then exit (0 = Valid)
// Traces:Endpoint / Traces:ApiKey (or TRACES_ENDPOINT / TRACES_API_KEY) select a service; without them the local
// reference server runs in this process.
using AspNetCoreIntegration;

if (args.Contains("--smoke"))
{
    var smoke = await OrdersSmoke.RunAsync(Console.Out, OrdersTarget.FromArgs(args));
    return smoke.ExitCode;
}

await using var orders = await OrdersApp.StartAsync(args, OrdersTarget.FromArgs(args));
Console.WriteLine($"Orders API listening on {string.Join(", ", orders.Addresses)}; try:");
Console.WriteLine($"  curl -X POST {orders.Addresses[0]}orders -H 'content-type: application/json' -d '{{\"order_id\":\"ORD-1001\",\"amount\":129.90,\"currency\":\"EUR\"}}'");
await orders.App.WaitForShutdownAsync();
return 0;
