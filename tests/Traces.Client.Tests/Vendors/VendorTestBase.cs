using System.Text.Json.Nodes;
using Traces.Client.Vendors;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests.Vendors;

/// <summary>A WireMock server per test and vendor options with fast retries pointed at it.</summary>
public abstract class VendorTestBase : WireMockTestBase
{
    protected T Fast<T>(T options, Action<T>? configure = null)
        where T : VendorClientOptions
    {
        options.BaseUrl = new Uri(Server.Url!);
        options.ApiKey = ApiKey;
        options.MaxRetries = 3;
        options.RetryDelay = TimeSpan.FromMilliseconds(1);
        options.MaxRetryDelay = TimeSpan.FromSeconds(2);
        options.AttemptTimeout = TimeSpan.FromSeconds(5);
        options.TotalTimeout = TimeSpan.FromSeconds(10);
        configure?.Invoke(options);
        return options;
    }

    protected void Json(string method, string path, int status, string body) =>
        Server.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    /// <summary>Answers a request as SidClaw's server did in the capture: status, every header, the body's bytes.</summary>
    protected void Replay(SidClawCapture capture, string? path = null)
    {
        var response = Response.Create().WithStatusCode(capture.Status);
        foreach (var (name, value) in capture.Headers)
        {
            if (name is not ("content-length" or "Connection" or "Keep-Alive" or "Date"))
            {
                response = response.WithHeader(name, value);
            }
        }

        if (capture.Body.Length > 0)
        {
            response = response.WithBody(capture.Body);
        }

        Server.Given(Request.Create().WithPath(path ?? capture.Path).UsingMethod(capture.Method)).RespondWith(response);
    }

    /// <summary>Answers successive requests with successive responses (the last keeps answering).</summary>
    protected void Sequence(string method, string path, params IResponseBuilder[] responses)
    {
        for (var i = 0; i < responses.Length; i++)
        {
            var given = Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(method + path);
            if (i > 0)
            {
                given = given.WhenStateIs($"s{i}");
            }

            (i < responses.Length - 1 ? given.WillSetStateTo($"s{i + 1}") : given).RespondWith(responses[i]);
        }
    }

    protected ILogEntry Single(string method, string path) => Assert.Single(Requests(method, path));

    protected static string? RawQuery(ILogEntry entry) => entry.RequestMessage!.RawQuery?.TrimStart('?');

    protected static void AssertJsonBody(string expected, ILogEntry entry) =>
        JsonSemantics.AssertEquivalent(JsonNode.Parse(expected), JsonNode.Parse(entry.RequestMessage!.Body!));

    protected static void AssertBearer(ILogEntry entry)
    {
        Assert.Equal("Bearer " + ApiKey, Header(entry, "Authorization"));
        Assert.Null(Header(entry, "x-api-key"));
        Assert.Null(Header(entry, "Idempotency-Key"));
        Assert.StartsWith("req_", Header(entry, "x-request-id"), StringComparison.Ordinal);
    }
}
