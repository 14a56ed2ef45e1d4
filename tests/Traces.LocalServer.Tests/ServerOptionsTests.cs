using System.Net;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

/// <summary>Behaviour that needs a server of its own: seal delay, rate limit, body limit, binding.</summary>
public sealed class ServerOptionsTests
{
    [Fact]
    public async Task WhileSealing_EntriesAreRefused_ProofIsConflict_VerifyIsBadRequest_ThenItSeals()
    {
        var dir = TestServers.NewDataDirectory();
        try
        {
            // Seven calls below must all see the trace still sealing: 5 s leaves a loaded machine room for them.
            await using var server = await TestServers.StartAsync(o => o.SealDelay = TimeSpan.FromSeconds(5), dir);
            using var api = new TracesApi(server);
            var traceId = await api.CreateTraceAsync();
            await api.AddStepAsync(traceId, "x");

            var seal = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/seal", null), HttpStatusCode.Accepted);
            Assert.Equal("sealing", seal.GetProperty("status").GetString());
            Assert.Equal("sealing", (await api.GetJsonAsync($"/v1/traces/{traceId}")).GetProperty("status").GetString());

            await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", """{"type":"THOUGHT","content":"late"}"""),
                HttpStatusCode.Conflict, "trace_sealing");
            await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/events", $$"""{"event_type":"a.b","payload":{},"trace_id":"{{traceId}}"}"""),
                HttpStatusCode.Conflict, "trace_sealing");
            await TracesApi.AssertProblemAsync(await api.GetAsync($"/v1/traces/{traceId}/proof"), HttpStatusCode.Conflict, "trace_sealing");
            await TracesApi.AssertProblemAsync(await api.GetAsync($"/v1/traces/{traceId}/certificate"), HttpStatusCode.Conflict, "trace_sealing");
            await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/verify", null), HttpStatusCode.BadRequest, "trace_not_sealed");

            var again = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/seal", null), HttpStatusCode.Accepted);
            Assert.Equal("sealing", again.GetProperty("status").GetString());

            var done = await api.WaitForSealAsync(traceId);
            Assert.Equal("sealed", done.GetProperty("status").GetString());
            Assert.Equal(1, done.GetProperty("event_count").GetInt64());
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task SecondServer_OnTheSameDataDirectory_IsRefusedUntilTheFirstStops()
    {
        var dir = TestServers.NewDataDirectory();
        try
        {
            string firstKeys;
            await using (var first = await TestServers.StartAsync(configure: null, dir))
            {
                firstKeys = first.PublicKeys.Keys![0].KeyId!;
                var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestServers.StartAsync(configure: null, dir));
                Assert.Contains("in use by another Traces server", refused.Message, StringComparison.Ordinal);
            }

            // The lock goes with the server: the directory opens again, with the same keys.
            await using var again = await TestServers.StartAsync(configure: null, dir);
            Assert.Equal(firstKeys, again.PublicKeys.Keys![0].KeyId);
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task RateLimit_PerApiKey_Answers429WithRetryAfter()
    {
        var dir = TestServers.NewDataDirectory();
        try
        {
            await using var server = await TestServers.StartAsync(o =>
            {
                o.RateLimitPermits = 3;
                o.RateLimitWindow = TimeSpan.FromSeconds(30);
                o.AdditionalApiKeys["tk_second"] = "other";
            }, dir);
            using var api = new TracesApi(server);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/traces")).StatusCode);
            }

            var limited = await api.GetAsync("/v1/traces");
            await TracesApi.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
            var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 30);

            // Another key has its own budget; the unauthenticated public-key endpoint is not limited.
            using var other = new TracesApi(server.BaseAddress, "tk_second");
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/traces")).StatusCode);
            using var anonymous = new TracesApi(server.BaseAddress, apiKey: null);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/v1/traces/public-key")).StatusCode);
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task MaxRequestBodyBytes_IsConfigurable()
    {
        var dir = TestServers.NewDataDirectory();
        try
        {
            await using var server = await TestServers.StartAsync(o => o.MaxRequestBodyBytes = 100, dir);
            using var api = new TracesApi(server);
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/v1/traces", """{"label":"small"}""")).StatusCode);
            await TracesApi.AssertProblemAsync(await api.PostAsync("/v1/traces", $$"""{"label":"{{new string('x', 120)}}"}"""),
                HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task NonLoopbackUrl_IsRefusedUnlessAllowed()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LocalTracesServer.StartAsync(new LocalTracesServerOptions { Urls = "http://0.0.0.0:0" }, TestContext.Current.CancellationToken));
        Assert.Contains("loopback", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EphemeralServer_BindsLoopback_AndDeletesItsDataOnDispose()
    {
        var server = await LocalTracesServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var dir = server.DataDirectory;
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
        Assert.True(File.Exists(Path.Combine(dir, "traces.db")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "keys", "ed25519.key")));
        }

        // The certificate key of an ephemeral server lives in memory only (docs/local-server.md, "Keys").
        Assert.False(File.Exists(Path.Combine(dir, "keys", "rsa-4096.pem")));

        await server.DisposeAsync();
        Assert.False(Directory.Exists(dir));
    }
}
