namespace Traces.TestSupport;

/// <summary>
/// A read-only stream over bytes that hands them out in chunks of pseudo-random sizes (a fixed seed gives the same
/// chunks every run), one byte at a time about a quarter of the time: a network stream may deliver any chunking, and
/// the verifier must give the same answer for all of them. Optionally cancels a token once a position is reached,
/// as a caller pressing Ctrl+C would.
/// </summary>
public sealed class ChunkedStream(byte[] data, int seed, int maxChunk = 4096) : Stream
{
    private readonly Random _random = new(seed);
    private int _position;

    /// <summary>The position at which <see cref="Cancellation"/> is cancelled (before the read that would pass it).</summary>
    public long CancelAt { get; init; } = long.MaxValue;

    /// <summary>Cancelled when <see cref="CancelAt"/> is reached.</summary>
    public CancellationTokenSource? Cancellation { get; init; }

    /// <summary>How many reads returned data.</summary>
    public int Reads { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => data.Length;

    /// <inheritdoc />
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        var chunk = _random.Next(4) == 0 ? 1 : _random.Next(1, Math.Max(2, maxChunk + 1));
        var count = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
        data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        if (count > 0)
        {
            Reads++;
        }

        return count;
    }

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= CancelAt)
        {
            Cancellation?.Cancel();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
