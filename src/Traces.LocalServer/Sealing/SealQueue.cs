using System.Threading.Channels;

namespace Traces.LocalServer.Sealing;

/// <summary>Trace ids waiting for the seal worker. The database state (<c>sealing</c>) is the durable queue; this is its in-memory echo.</summary>
internal sealed class SealQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(string traceId) => _channel.Writer.TryWrite(traceId);

    public IAsyncEnumerable<string> ReadAllAsync(CancellationToken ct) => _channel.Reader.ReadAllAsync(ct);
}
