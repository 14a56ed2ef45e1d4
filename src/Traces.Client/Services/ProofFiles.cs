using System.Buffers;
using System.Text.Json;

namespace Traces.Client.Services;

/// <summary>Saving downloaded documents: a file on disk is either the whole document or absent.</summary>
internal static class ProofFiles
{
    /// <summary>A temporary file beside <paramref name="path"/>, for <see cref="SaveOneJsonObjectAsync"/>.</summary>
    public static string TemporaryPathFor(string path)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        return Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
    }

    /// <summary>
    /// Copies <paramref name="body"/> into a new file at <paramref name="temporary"/> as it arrives, checking on the way
    /// that it is one JSON object and nothing else (issue 14: a proof is never held whole in memory). Returns the bytes
    /// written, or the problem and the start of the body for the error. A failure of the file system is thrown as
    /// <see cref="DiskException"/>, so the caller can tell it from a failure of the network.
    /// </summary>
    public static async Task<(long Length, JsonException? Problem, string Head)> SaveOneJsonObjectAsync(Stream body, string temporary,
        CancellationToken cancellationToken)
    {
        const int HeadBytes = 16 * 1024;
        FileStream file;
        try
        {
            file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DiskException(ex);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var head = new MemoryStream();
        var check = new OneJsonObjectCheck();
        try
        {
            await using (file.ConfigureAwait(false))
            {
                long length = 0;
                var pending = 0; // bytes at the start of buffer that the JSON check has not consumed yet
                while (true)
                {
                    if (pending == buffer.Length)
                    {
                        // One token larger than the buffer (a long string): grow, keeping what is pending.
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, pending).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await body.ReadAsync(buffer.AsMemory(pending), cancellationToken).ConfigureAwait(false);
                    if (read > 0)
                    {
                        if (head.Length < HeadBytes)
                        {
                            head.Write(buffer, pending, (int)Math.Min(read, HeadBytes - head.Length));
                        }

                        try
                        {
                            await file.WriteAsync(buffer.AsMemory(pending, read), cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                        {
                            throw new DiskException(ex);
                        }

                        length += read;
                    }

                    var available = pending + read;
                    var consumed = check.Feed(buffer.AsSpan(0, available), isFinalBlock: read == 0);
                    pending = available - consumed;
                    buffer.AsSpan(consumed, pending).CopyTo(buffer);
                    if (read == 0)
                    {
                        break;
                    }
                }

                try
                {
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new DiskException(ex);
                }

                return (length, check.Problem, System.Text.Encoding.UTF8.GetString(head.GetBuffer(), 0, (int)head.Length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A failure of the local file system while saving (not of the service or the network).</summary>
    public sealed class DiskException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>
    /// Whether a body that arrives in pieces is one well-formed JSON object and nothing else: a
    /// <see cref="Utf8JsonReader"/> resumed from its state on each piece, which rejects data after the first complete value.
    /// </summary>
    private sealed class OneJsonObjectCheck
    {
        private JsonReaderState _state;
        private bool _started;
        private bool _complete;

        public JsonException? Problem { get; private set; }

        /// <summary>Reads what it can of <paramref name="data"/>; returns the bytes consumed (the rest must be fed again).</summary>
        public int Feed(ReadOnlySpan<byte> data, bool isFinalBlock)
        {
            if (Problem is not null)
            {
                return data.Length;
            }

            try
            {
                var reader = new Utf8JsonReader(data, isFinalBlock, _state);
                while (reader.Read())
                {
                    if (!_started)
                    {
                        _started = true;
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            Problem = new JsonException("The body is not a JSON object.");
                            return data.Length;
                        }
                    }
                    else if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                    {
                        _complete = true;
                    }
                }

                if (isFinalBlock && !_complete)
                {
                    Problem = new JsonException(_started ? "The JSON object is incomplete." : "The body is not a JSON object.");
                }

                _state = reader.CurrentState;
                return (int)reader.BytesConsumed;
            }
            catch (JsonException ex)
            {
                Problem = ex;
                return data.Length;
            }
        }
    }
}
