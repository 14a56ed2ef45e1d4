using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Traces.Client.Tests.Vendors;

/// <summary>
/// A raw HTTP/1.1 endpoint that sends the response head and the first part of a chunked body, then waits until the
/// test calls <see cref="Release"/> before sending the rest: a client that buffers the body whole cannot return
/// before the release; one that streams can read the first part.
/// </summary>
public sealed class TrickleServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _head;
    private readonly byte[] _first;
    private readonly byte[] _rest;
    private readonly Task _serving;

    public TrickleServer(string headers, string first, string rest)
    {
        _head = "HTTP/1.1 200 OK\r\n" + headers + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        _first = Encoding.UTF8.GetBytes(first);
        _rest = Encoding.UTF8.GetBytes(rest);
        _listener.Start();
        _serving = ServeOneAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public bool RestSent { get; private set; }

    public void Release() => _release.TrySetResult();

    private async Task ServeOneAsync()
    {
        try
        {
            using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var buffer = new byte[8192];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes(_head), SocketFlags.None, _stop.Token);
            await SendChunkAsync(socket, _first);
            await _release.Task.WaitAsync(_stop.Token);
            RestSent = true;
            await SendChunkAsync(socket, _rest);
            await socket.SendAsync("0\r\n\r\n"u8.ToArray(), SocketFlags.None, _stop.Token);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The test ended.
        }
    }

    private async Task SendChunkAsync(Socket socket, byte[] data)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), SocketFlags.None, _stop.Token);
        await socket.SendAsync(data, SocketFlags.None, _stop.Token);
        await socket.SendAsync("\r\n"u8.ToArray(), SocketFlags.None, _stop.Token);
    }

    public void Dispose()
    {
        _release.TrySetResult();
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Already reported by the test, if it matters.
        }

        _stop.Dispose();
    }
}
