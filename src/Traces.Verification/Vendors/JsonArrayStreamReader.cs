using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>Handles one element of a streamed JSON array: its complete JSON text and its index.</summary>
internal delegate void JsonElementHandler(ReadOnlySpan<byte> element, long index);

/// <summary>
/// Reads a top-level JSON array from a stream one element at a time: each element is cut out of a sliding buffer once
/// complete and handed over as its own JSON text. Memory is one element plus the buffer, whatever the array's length.
/// </summary>
internal sealed class JsonArrayStreamReader(VerificationOptions options)
{
    private const int InitialBufferSize = 64 * 1024;

    /// <summary>A problem that stopped reading, as a finding code and a message; null when the array was read to its end.</summary>
    public (string Code, string Message)? Problem { get; private set; }

    /// <summary>Elements read.</summary>
    public long Count { get; private set; }

    /// <summary>Reads the array; bad input stops reading and is left in <see cref="Problem"/>. Only cancellation throws.</summary>
    public async Task ReadAsync(Stream stream, JsonElementHandler handler, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var length = 0;
        long total = 0;
        var endOfStream = false;
        var state = new JsonReaderState(VendorJson.ReaderOptions(options.MaxDepth + 1));
        var started = false;
        var ended = false;
        var bomChecked = false;
        try
        {
            while (true)
            {
                if (!endOfStream)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= options.MaxEntryBytes + InitialBufferSize)
                        {
                            Problem = (FindingCodes.LimitExceeded,
                                $"Element {Count.ToString(CultureInfo.InvariantCulture)} is larger than the {options.MaxEntryBytes}-byte limit.");
                            return;
                        }

                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, options.MaxEntryBytes + InitialBufferSize));
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    endOfStream = read == 0;
                    length += read;
                    total += read;
                    if (total > options.MaxBundleBytes)
                    {
                        Problem = (FindingCodes.LimitExceeded, $"The document is larger than the {options.MaxBundleBytes}-byte limit.");
                        return;
                    }
                }

                if (!bomChecked && (length >= 3 || endOfStream))
                {
                    // RFC 8259 §8.1: a parser may ignore a byte order mark.
                    bomChecked = true;
                    if (buffer.AsSpan(0, length).StartsWith("\uFEFF"u8))
                    {
                        buffer.AsSpan(3, length - 3).CopyTo(buffer);
                        length -= 3;
                    }
                }

                var consumed = !bomChecked ? 0 : Advance(buffer.AsSpan(0, length), ref state, ref started, ref ended, handler);
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
                if (Problem is not null || (ended && endOfStream))
                {
                    return;
                }

                if (endOfStream)
                {
                    Problem = (FindingCodes.Malformed, started
                        ? "The array ends before its JSON is complete (truncated)."
                        : "The document is empty.");
                    return;
                }
            }
        }
        catch (JsonException exception)
        {
            Problem = (FindingCodes.Malformed, $"The document is not valid JSON: {exception.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hands over every complete element in <paramref name="data"/>; returns the bytes fully processed.</summary>
    private int Advance(ReadOnlySpan<byte> data, ref JsonReaderState state, ref bool started, ref bool ended, JsonElementHandler handler)
    {
        // Never a final block: at the end of the stream an incomplete value makes Read() return false (reported as
        // truncated by the caller) instead of throwing; content after the array still throws.
        var reader = new Utf8JsonReader(data, isFinalBlock: false, state);
        var committed = 0;
        while (true)
        {
            if (!reader.Read())
            {
                break;
            }

            if (!started)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    Problem = (FindingCodes.Malformed, "The document is not a JSON array.");
                    return committed;
                }

                started = true;
            }
            else if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0)
            {
                ended = true;
            }
            else
            {
                var start = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    // The element is not complete in the buffer: keep it (from before its first token) for the next round.
                    break;
                }

                handler(data[start..(int)reader.BytesConsumed], Count);
                Count++;
            }

            committed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }

        return committed;
    }
}
