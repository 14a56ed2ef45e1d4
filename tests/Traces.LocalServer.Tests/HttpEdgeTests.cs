using System.Net;
using System.Text;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

/// <summary>
/// Requests no HTTP client would send, over a raw socket: broken chunked framing and bodies that stall are the
/// client's fault (400 <c>bad_request</c>, 408 <c>request_timeout</c>), never a 500; and every error the application
/// answers, framework-made ones included, is problem+json with a request id.
/// </summary>
public sealed class HttpEdgeTests(SharedServer shared)
{
    private LocalTracesServer Server => shared.Server;

    private string Head(string path, string framing) =>
        $"POST {path} HTTP/1.1\r\nHost: {Server.BaseAddress.Authority}\r\nx-api-key: {Server.ApiKey}\r\n" +
        $"Content-Type: application/json\r\n{framing}";

    private const string Json = """{"label":"chunked"}""";

    public static TheoryData<string, string> MalformedChunkedBodies => new()
    {
        { "size is not hex", "zz\r\n" + Json + "\r\n0\r\n\r\n" },
        { "size is negative", "-13\r\n" + Json + "\r\n0\r\n\r\n" },
        { "size overflows 64 bits", "1FFFFFFFFFFFFFFFF\r\n" + Json + "\r\n0\r\n\r\n" },
        { "size line is empty", "\r\n" + Json + "\r\n0\r\n\r\n" },
        { "size line ends in a bare LF", "13\n" + Json + "\r\n0\r\n\r\n" },
        { "size line ends in a bare CR", "13\r" + Json + "\r\n0\r\n\r\n" },
        { "size has a space inside", "1 3\r\n" + Json + "\r\n0\r\n\r\n" },
        { "data is longer than its size", "3\r\n" + Json + "\r\n0\r\n\r\n" },
        { "data has no CRLF after it", "13\r\n" + Json + "0\r\n\r\n" },
        { "data is followed by a bare LF", "13\r\n" + Json + "\n0\r\n\r\n" },
        { "data is followed by other bytes", "13\r\n" + Json + "XY0\r\n\r\n" },
        { "last chunk has data", "13\r\n" + Json + "\r\n0\r\nxyz\r\n\r\n" },
        { "trailer line has no colon", "13\r\n" + Json + "\r\n0\r\nnot a header\r\n\r\n" },
        { "size is a hex prefix", "0x13\r\n" + Json + "\r\n0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(MalformedChunkedBodies))]
    public async Task MalformedChunkedBody_IsBadRequest_AsProblemJson(string why, string body)
    {
        var response = await RawHttp.SendAsync(Server.BaseAddress, Head("/v1/traces", "Transfer-Encoding: chunked"), body);

        var problem = response.AssertProblem(400, "bad_request");
        Assert.StartsWith("The HTTP request is malformed: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("/v1/traces", problem.GetProperty("instance").GetString());
        Assert.True(response.Status == 400, why);
    }

    [Fact]
    public async Task MalformedChunkedBody_EndsTheConnectionAfterTheAnswer()
    {
        // What follows broken framing cannot be told from a next request, so the server reads no further.
        var response = await RawHttp.SendAsync(Server.BaseAddress, Head("/v1/traces", "Transfer-Encoding: chunked"),
            ["zz\r\n{}\r\n0\r\n\r\n"u8.ToArray()], closedAfterwards: true);

        response.AssertProblem(400, "bad_request");
        Assert.True(response.ClosedAfterwards);
    }

    [Fact]
    public async Task MalformedChunkedBody_WithIdempotencyKey_IsBadRequest_AndNotRemembered()
    {
        var head = Head("/v1/traces", "Transfer-Encoding: chunked\r\nIdempotency-Key: chunked-broken-1");
        (await RawHttp.SendAsync(Server.BaseAddress, head, "zz\r\n" + Json + "\r\n0\r\n\r\n")).AssertProblem(400, "bad_request");

        // The key was not used up by the broken attempt: a well-formed retry with it executes.
        var retry = await RawHttp.SendAsync(Server.BaseAddress, head, "13\r\n" + Json + "\r\n0\r\n\r\n");
        Assert.Equal(201, retry.Status);
        Assert.Null(retry.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task WellFormedChunkedBody_IsAccepted()
    {
        // The control case for the malformed ones: the same body, framed correctly, in two chunks with an extension.
        var response = await RawHttp.SendAsync(Server.BaseAddress, Head("/v1/traces", "Transfer-Encoding: chunked"),
            "a;note=1\r\n{\"label\":\"\r\n9\r\nchunked\"}\r\n0\r\n\r\n");

        Assert.Equal(201, response.Status);
        Assert.Contains("\"label\":\"chunked\"", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StalledOrTricklingBodies_AreRequestTimeout_AsProblemJson()
    {
        // Kestrel's MinRequestBodyDataRate (240 bytes/s after a 5 s grace period) is what ends these; the three run
        // together so the test waits for the grace period once.
        var stalled = RawHttp.SendAsync(Server.BaseAddress, Head("/v1/traces", "Content-Length: 19"), [Encoding.ASCII.GetBytes("{\"lab")],
            pause: TimeSpan.Zero);
        var trickle = RawHttp.SendAsync(Server.BaseAddress, Head("/v1/traces", "Content-Length: 19"),
            [.. Encoding.ASCII.GetBytes(Json).Select(b => new[] { b })], pause: TimeSpan.FromSeconds(1));
        var chunkedTrickle = RawHttp.SendAsync(Server.BaseAddress, Head("/v1/events", "Transfer-Encoding: chunked"),
            [.. Enumerable.Range(0, 19).Select(_ => Encoding.ASCII.GetBytes("1\r\n \r\n"))], pause: TimeSpan.FromSeconds(1));

        foreach (var response in await Task.WhenAll(stalled, trickle, chunkedTrickle))
        {
            var problem = response.AssertProblem(408, "request_timeout");
            Assert.Contains("too slowly", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/openapi/v2.json")]
    [InlineData("/openapi/v1.yaml")]
    [InlineData("/v1/nothing-here")]
    [InlineData("/")]
    public async Task UnknownPath_IsNotFound_AsProblemJson(string path)
    {
        using var api = new TracesApi(Server);
        var problem = await TracesApi.AssertProblemAsync(await api.GetAsync(path), HttpStatusCode.NotFound, "not_found");
        Assert.Equal($"No endpoint handles {path}.", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("DELETE", "/v1/traces")]
    [InlineData("PUT", "/v1/traces/tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z")]
    [InlineData("GET", "/v1/traces/tr_01JD8X4M5Q7R2S3T4V5W6X7Y8Z/seal")]
    [InlineData("POST", "/openapi/v1.json")]
    public async Task WrongMethod_IsMethodNotAllowed_AsProblemJson(string method, string path)
    {
        using var api = new TracesApi(Server);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        var problem = await TracesApi.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Equal($"{method} is not allowed on {path}.", problem.GetProperty("detail").GetString());
        Assert.NotEmpty(response.Content.Headers.Allow);
    }

    [Fact]
    public async Task OpenApiDocument_IsStillServedAtItsPath()
    {
        using var anonymous = new TracesApi(Server.BaseAddress, apiKey: null);
        var document = await anonymous.GetJsonAsync("/openapi/v1.json");
        Assert.Equal("Traces API", document.GetProperty("info").GetProperty("title").GetString());
    }
}
