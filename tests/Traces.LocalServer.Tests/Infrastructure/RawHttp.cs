using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>An HTTP/1.1 response as read off the socket.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>Whether the server closed the connection after this answer (only when asked for).</summary>
    public bool ClosedAfterwards { get; init; }

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>Asserts an RFC 7807 problem with this status and code, whose request id is the header's.</summary>
    public JsonElement AssertProblem(int status, string code)
    {
        Assert.True(Status == status, $"Expected {status} {code}, got {Status}: {Body}");
        Assert.StartsWith("application/problem+json", Header("content-type"), StringComparison.Ordinal);
        var problem = JsonElement.Parse(Body);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal("urn:traces:error:" + code, problem.GetProperty("type").GetString());
        var requestId = Header("x-request-id");
        Assert.False(string.IsNullOrEmpty(requestId));
        Assert.Equal(requestId, problem.GetProperty("request_id").GetString());
        return problem;
    }
}

/// <summary>
/// Speaks HTTP/1.1 over a raw socket, so a test can send what no HTTP client would: broken chunked framing, a body
/// that stalls.
/// </summary>
internal static class RawHttp
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and then each body part in turn.</summary>
    /// <param name="pause">Waited before each body part.</param>
    /// <param name="closedAfterwards">After the answer, wait (at most 10 s) to see whether the server closes the connection.</param>
    public static async Task<RawResponse> SendAsync(Uri server, string head, IReadOnlyList<byte[]> bodyParts,
        TimeSpan pause = default, bool closedAfterwards = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\n\r\n"), Ct);
        foreach (var part in bodyParts)
        {
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, Ct);
            }

            try
            {
                await stream.WriteAsync(part, Ct);
            }
            catch (IOException)
            {
                break; // the server answered and closed while the body was still being sent
            }
        }

        var response = await ReadResponseAsync(stream);
        if (!closedAfterwards)
        {
            return response;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            return response with { ClosedAfterwards = await stream.ReadAsync(new byte[1], wait.Token) == 0 };
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            return response; // still open
        }
        catch (IOException)
        {
            return response with { ClosedAfterwards = true }; // reset rather than closed: ended all the same
        }
    }

    public static Task<RawResponse> SendAsync(Uri server, string head, string body) =>
        SendAsync(server, head, [Encoding.ASCII.GetBytes(body)]);

    private static async Task<RawResponse> ReadResponseAsync(NetworkStream stream)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
        {
            var read = await stream.ReadAsync(chunk, timeout.Token);
            Assert.True(read > 0, "The server closed the connection without an answer: " + Encoding.ASCII.GetString(buffer.ToArray()));
            buffer.Write(chunk, 0, read);
        }

        var lines = Encoding.ASCII.GetString(buffer.GetBuffer(), 0, headerEnd).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2))
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim(), StringComparer.Ordinal);
        var length = headers.TryGetValue("content-length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var bodyStart = headerEnd + 4;
        while (buffer.Length - bodyStart < length)
        {
            var read = await stream.ReadAsync(chunk, timeout.Token);
            Assert.True(read > 0, "The server closed the connection in the middle of its answer.");
            buffer.Write(chunk, 0, read);
        }

        return new RawResponse(status, headers, Encoding.UTF8.GetString(buffer.GetBuffer(), bodyStart, length));
    }

    private static int IndexOf(MemoryStream buffer, ReadOnlySpan<byte> needle) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf(needle);
}
