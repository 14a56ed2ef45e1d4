using System.Text.Json;
using Traces.Client.Errors;

namespace Traces.Client.Vendors.Http;

/// <summary>
/// Failures while a streamed body is read, after the call itself returned: the connection broke or the body ended
/// early (<c>network_error</c>), or the body is not what the vendor documents (<c>invalid_response</c>). The status is
/// the one the response arrived with.
/// </summary>
internal static class BodyReadErrors
{
    public static TracesApiException? Map(Exception exception, int status, string? requestId) => exception switch
    {
        TracesApiException => null,
        OperationCanceledException => null,
        HttpRequestException or IOException =>
            new TracesApiException($"The response body broke off while it was read: {exception.Message}", status, TracesErrorCodes.NetworkError, requestId, null, null, exception),
        JsonException or FormatException =>
            new TracesApiException($"The response body is not the documented format: {exception.Message}", status, TracesErrorCodes.InvalidResponse, requestId, null, null, exception),
        _ => null,
    };
}

/// <summary>A read-only view of a response body whose transport failures surface as <see cref="TracesApiException"/>.</summary>
internal sealed class MappedBodyStream(Stream inner, int status, string? requestId) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }
        catch (Exception ex) when (BodyReadErrors.Map(ex, status, requestId) is { } mapped)
        {
            throw mapped;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            BytesRead += read;
            return read;
        }
        catch (Exception ex) when (BodyReadErrors.Map(ex, status, requestId) is { } mapped)
        {
            throw mapped;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
