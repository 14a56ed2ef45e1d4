using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>
/// A hostile (or misconfigured) server echoes the API key back in response headers, those a deny list would miss and
/// those a safe list names alike. At Trace level, through either construction path, no log line holds the key.
/// </summary>
public sealed class HostileHeaderLoggingTests : WireMockTestBase
{
    private void EchoTheKey()
    {
        var echo = Response.Create().WithStatusCode(200).WithBody("""{"trace_id":"tr_1","status":"open"}""")
            .WithHeader("Content-Type", "application/json")
            .WithHeader("X-Echo-Api-Key", ApiKey)
            .WithHeader("X-Debug", "received x-api-key=" + ApiKey)
            .WithHeader("Set-Cookie", "session=" + ApiKey)
            .WithHeader("WWW-Authenticate", $"Bearer realm=\"{ApiKey}\"")
            .WithHeader("x-request-id", ApiKey)
            .WithHeader("Location", "/v1/traces/tr_1?key=" + ApiKey);
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(echo);
    }

    [Theory]
    [InlineData(TracesAuthHeaderStyle.ApiKeyHeader)]
    [InlineData(TracesAuthHeaderStyle.Bearer)]
    public async Task KeyEchoedInResponseHeaders_NeverReachesTheLogs_AtTraceLevel(TracesAuthHeaderStyle style)
    {
        EchoTheKey();
        var provider = new CapturingLoggerProvider();
        using var client = CreateClient(o => o.AuthHeaderStyle = style, new CapturingLoggerFactory(provider));

        await client.Traces.GetAsync("tr_1", Ct);

        var all = provider.All;
        Assert.DoesNotContain(ApiKey, all, StringComparison.Ordinal);
        var headers = Assert.Single(provider.Lines, l => l.StartsWith("Trace", StringComparison.Ordinal) && l.Contains("response headers", StringComparison.Ordinal));
        Assert.StartsWith("Trace Traces.Client: HTTP GET /v1/traces/tr_1 response headers ", headers, StringComparison.Ordinal);
        foreach (var redacted in new[] { "X-Echo-Api-Key", "X-Debug", "Set-Cookie", "WWW-Authenticate", "x-request-id", "Location" })
        {
            Assert.Contains($"{redacted}: [REDACTED]; ", headers, StringComparison.OrdinalIgnoreCase);
        }

        // A safe header whose value is the server's own stays readable.
        Assert.Contains("Content-Type: application/json; ", headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyEchoedInResponseHeaders_NeverReachesTheLogs_ThroughDependencyInjection()
    {
        EchoTheKey();
        var provider = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        services.AddTracesClient(o =>
        {
            o.Endpoint = new Uri(Server.Url!);
            o.ApiKey = ApiKey;
        });
        await using var sp = services.BuildServiceProvider();

        await sp.GetRequiredService<TracesClient>().Traces.GetAsync("tr_1", Ct);

        Assert.DoesNotContain(ApiKey, provider.All, StringComparison.Ordinal);

        // The client's own handler is the only one that logs (IHttpClientFactory's logging handlers are removed):
        // the request with its headers, the answer, its headers, each exactly once for the one attempt.
        Assert.DoesNotContain(provider.Entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
        var sending = Assert.Single(provider.Client(1));
        Assert.Equal(LogLevel.Debug, sending.Level);
        Assert.Equal("GET", sending["Method"]);
        Assert.Equal("/v1/traces/tr_1", sending["Path"]);
        // Every request header, in the order sent: the credential redacted, the per-call request id in clear.
        Assert.Matches(
            @"^Accept: application/json; User-Agent: Traces\.Client/[0-9.]+; Authorization: \[REDACTED\]; X-Request-ID: req_[0-9a-f]{32}; $",
            (string)sending["Headers"]!);

        var answered = Assert.Single(provider.Client(2));
        Assert.Equal(LogLevel.Information, answered.Level);
        Assert.Equal("GET", answered["Method"]);
        Assert.Equal("/v1/traces/tr_1", answered["Path"]);
        Assert.Equal(200, answered["StatusCode"]);
        Assert.InRange((double)answered["ElapsedMs"]!, 0, 60_000);

        var responseHeaders = Assert.Single(provider.Client(4));
        Assert.Equal(LogLevel.Trace, responseHeaders.Level);
        Assert.Equal("/v1/traces/tr_1", responseHeaders["Path"]);
        foreach (var redacted in new[] { "X-Echo-Api-Key", "X-Debug", "Set-Cookie", "WWW-Authenticate", "x-request-id", "Location" })
        {
            Assert.Contains($"{redacted}: [REDACTED]; ", (string)responseHeaders["Headers"]!, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("Content-Type: application/json; ", (string)responseHeaders["Headers"]!, StringComparison.Ordinal);
    }
}
