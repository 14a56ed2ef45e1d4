using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Traces.LocalServer.Api;

/// <summary>
/// A JSON document with one large array (a proof's <c>events</c>, a trace's entries), written to the response while
/// the array is read from storage, page by page (issue 14, "Streamed proof"). Memory is one page, whatever the size
/// of the trace, and the first bytes leave before the last row is read.
/// </summary>
/// <remarks>
/// <para>
/// The bytes are the ones the serializer wrote when the whole document was built in memory: everything around the
/// array is that same serializer's output for the document with an empty array, cut at the array; each element is the
/// serializer's output for the element, under writer options derived from the same serializer options (encoder,
/// indentation, depth limit counted from the element's real depth). Tests compare the two byte for byte.
/// </para>
/// <para>
/// A failure after the first byte (a stored row that is no longer JSON, a storage error) cannot become an error
/// response any more: the connection is aborted, and the client sees a truncated body, which no JSON reader accepts.
/// </para>
/// </remarks>
internal static class StreamedJson
{
    // Flush to the socket when this much is buffered: small enough to get the first bytes out at once, large enough
    // that a flush (a write system call, and backpressure from a slow client) is per many entries, not per entry.
    private const int FlushThreshold = 32 * 1024;

    /// <summary>
    /// Cuts <paramref name="document"/> (serialized with an empty array member <paramref name="member"/>) into what
    /// comes before the array's elements and what comes after. <paramref name="lastOccurrence"/> picks the member when
    /// the text could also occur earlier (inside user metadata); otherwise the first one is the top-level member.
    /// </summary>
    public static (ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Tail) Split(byte[] document, string member, bool lastOccurrence)
    {
        var marker = System.Text.Encoding.UTF8.GetBytes($"\"{member}\":[]");
        var at = lastOccurrence ? document.AsSpan().LastIndexOf(marker) : document.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            throw new InvalidOperationException($"The serialized document has no empty '{member}' array.");
        }

        var cut = at + marker.Length - 1; // just before ']'
        return (document.AsMemory(0, cut), document.AsMemory(cut));
    }

    /// <summary>
    /// Writes head, the elements of <paramref name="pages"/> (each mapped and serialized with
    /// <paramref name="elementType"/>, comma-separated), then tail, flushing as it goes.
    /// </summary>
    public static Task WriteAsync<TRecord, TElement>(HttpResponse response, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail,
        IAsyncEnumerable<IReadOnlyList<TRecord>> pages, Func<TRecord, TElement> map, JsonTypeInfo<TElement> elementType, int elementDepth,
        CancellationToken ct) =>
        WriteAsync(response, head, _ => tail, pages, map, elementType, elementDepth, ct);

    /// <summary>As above, with a tail that depends on the number of elements written (a count after the array).</summary>
    public static Task WriteAsync<TRecord, TElement>(HttpResponse response, ReadOnlyMemory<byte> head, Func<long, ReadOnlyMemory<byte>> tailFor,
        IAsyncEnumerable<IReadOnlyList<TRecord>> pages, Func<TRecord, TElement> map, JsonTypeInfo<TElement> elementType, int elementDepth,
        CancellationToken ct)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonResponse.ContentType; // the same header as every whole JSON answer
        return WriteAsync(response.BodyWriter, head, tailFor, pages, map, elementType, elementDepth, ct);
    }

    /// <summary>
    /// The same bytes into any pipe (the seal-time check reads them as the verifier reads a download). Stops, without
    /// reading further pages, once the reading side has completed (a client gone, a verifier that has its verdict).
    /// </summary>
    public static async Task WriteAsync<TRecord, TElement>(PipeWriter body, ReadOnlyMemory<byte> head, Func<long, ReadOnlyMemory<byte>> tailFor,
        IAsyncEnumerable<IReadOnlyList<TRecord>> pages, Func<TRecord, TElement> map, JsonTypeInfo<TElement> elementType, int elementDepth,
        CancellationToken ct)
    {
        body.Write(head.Span);
        if ((await body.FlushAsync(ct)).IsCompleted)
        {
            return;
        }

        var options = elementType.Options;
        if (options.WriteIndented)
        {
            throw new NotSupportedException("Streamed documents are written without indentation, as the API's documents are.");
        }

        using var writer = new Utf8JsonWriter(body, new JsonWriterOptions
        {
            Encoder = options.Encoder ?? JavaScriptEncoder.Default,
            // The serializer's writer counts depth from the document's root; this one starts at the element.
            MaxDepth = (options.MaxDepth == 0 ? 64 : options.MaxDepth) - elementDepth,
        });
        long count = 0;
        long unflushed = 0;
        await foreach (var page in pages.WithCancellation(ct))
        {
            foreach (var record in page)
            {
                if (count++ > 0)
                {
                    body.Write(","u8);
                    unflushed++;
                }

                JsonSerializer.Serialize(writer, map(record), elementType);
                writer.Flush(); // into the pipe's buffer; the socket write is the FlushAsync below
                unflushed += writer.BytesCommitted;
                writer.Reset(body);
                if (unflushed >= FlushThreshold)
                {
                    if ((await body.FlushAsync(ct)).IsCompleted)
                    {
                        return;
                    }

                    unflushed = 0;
                }
            }
        }

        body.Write(tailFor(count).Span);
        await body.FlushAsync(ct);
    }
}

/// <summary>A result that writes the response itself (a <see cref="StreamedJson"/> document).</summary>
internal sealed class StreamedJsonResult(Func<HttpContext, Task> write) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => write(httpContext);
}
