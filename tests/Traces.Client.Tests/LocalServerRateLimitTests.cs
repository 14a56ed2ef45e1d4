using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.LocalServer;

namespace Traces.Client.Tests;

/// <summary>Against a rate-limited reference server: GETs wait out <c>Retry-After</c>; a keyless POST is not repeated.</summary>
public sealed class LocalServerRateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RateLimited_GetsAreRetriedAfterRetryAfter_KeylessPostSurfacesRetryAfter()
    {
        await using var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { RateLimitPermits = 2, RateLimitWindow = TimeSpan.FromSeconds(1) }, Ct);
        using var client = new TracesClient(new TracesClientOptions
        {
            Endpoint = server.BaseAddress,
            ApiKey = server.ApiKey,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
        });
        var id = (await client.Traces.CreateAsync(new CreateTraceRequest { Label = "rate" }, Ct)).TraceId!;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(id, (await client.Traces.GetAsync(id, Ct)).TraceId);
        }

        // The burst against a server whose window is a minute: the third POST is over the limit however slowly a loaded
        // machine sends them (in a 1 s window, five slow POSTs could each land in a fresh one).
        await using var slowWindow = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { RateLimitPermits = 2, RateLimitWindow = TimeSpan.FromMinutes(1) }, Ct);
        using var keyless = new TracesClient(new TracesClientOptions
        {
            Endpoint = slowWindow.BaseAddress,
            ApiKey = slowWindow.ApiKey,
            AutoIdempotencyKeys = false,
        });

        var limited = await Assert.ThrowsAsync<TracesRateLimitedException>(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await keyless.Traces.CreateAsync(new CreateTraceRequest { Label = "burst " + i }, Ct);
            }
        });
        Assert.Equal(429, limited.Status);
        Assert.Equal(KnownErrorCode.RateLimited, limited.KnownErrorCode);
        Assert.NotNull(limited.RetryAfter);
    }
}
