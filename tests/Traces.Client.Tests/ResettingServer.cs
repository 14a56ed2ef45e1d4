using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Traces.Client.Tests;

/// <summary>
/// A raw TCP endpoint that resets (RST) the first <c>resets</c> connections after reading the request, then answers
/// with a fixed HTTP/1.1 response. WireMock.Net's faults answer 200 with an empty or cut body; this is a real
/// "connection reset by peer".
/// </summary>
public sealed class ResettingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _resets;
    private readonly string _responseBody;
    private int _connections;

    public ResettingServer(int resets, string responseBody)
    {
        _resets = resets;
        _responseBody = responseBody;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(socket));
        }
    }

    private async Task HandleAsync(Socket socket)
    {
        var n = Interlocked.Increment(ref _connections);
        using (socket)
        {
            var buffer = new byte[64 * 1024];
            var request = new StringBuilder();
            try
            {
                // Read the head and any body announced by Content-Length.
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    var text = request.ToString();
                    var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (headEnd < 0)
                    {
                        continue;
                    }

                    var length = 0;
                    foreach (var line in text[..headEnd].Split("\r\n"))
                    {
                        if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                        {
                            length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                        }
                    }

                    if (text.Length - headEnd - 4 >= length)
                    {
                        break;
                    }
                }

                if (n <= _resets)
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                }

                var body = Encoding.UTF8.GetBytes(_responseBody);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                await socket.SendAsync(head, SocketFlags.None);
                await socket.SendAsync(body, SocketFlags.None);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception)
            {
                // The client went away; nothing to do.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
