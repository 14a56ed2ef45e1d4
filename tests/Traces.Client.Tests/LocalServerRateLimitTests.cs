using Microsoft.Extensions.DependencyInjection;
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
        // Two requests per 3 s window, the first window opened by the create: unless the create and the first GET take
        // over 3 s (two loopback calls), the second GET meets a 429 and waits out its Retry-After.
        await using var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { RateLimitPermits = 2, RateLimitWindow = TimeSpan.FromSeconds(3) }, Ct);
        var transport = new StatusCounter { InnerHandler = new SocketsHttpHandler() };
        var services = new ServiceCollection();
        services.AddTracesClient(o =>
        {
            o.Endpoint = server.BaseAddress;
            o.ApiKey = server.ApiKey;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
            o.MaxRetryDelay = TimeSpan.FromSeconds(5);
        }).ConfigurePrimaryHttpMessageHandler(() => transport);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<TracesClient>();
        var id = (await client.Traces.CreateAsync(new CreateTraceRequest { Label = "rate" }, Ct)).TraceId!;

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(id, (await client.Traces.GetAsync(id, Ct)).TraceId);
        }

        Assert.True(transport.TooManyRequests >= 1, "no GET met the rate limit");

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

    /// <summary>Counts the 429s the server gave (every attempt reaches the primary handler).</summary>
    private sealed class StatusCounter : DelegatingHandler
    {
        private int _tooManyRequests;

        public int TooManyRequests => Volatile.Read(ref _tooManyRequests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _tooManyRequests);
            }

            return response;
        }
    }
}
