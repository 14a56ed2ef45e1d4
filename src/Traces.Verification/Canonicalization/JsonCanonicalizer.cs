using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Traces.Verification.Canonicalization;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme (JCS) over I-JSON (RFC 7493) input. Bad input is an answer
/// (<see cref="CanonicalizationError"/>), never an exception; exceptions are reserved for programmer errors.
/// </summary>
/// <remarks>
/// Checks, in addition to RFC 8259 syntax: valid UTF-8, unique member names after unescaping (RFC 7493 §2.3),
/// no unpaired surrogate escapes (§2.1), integer literals within ±(2^53−1) (§2.2), finite binary64 numbers
/// (RFC 8785 §3.2.2.3), and the resource limits of <see cref="CanonicalizationLimits"/>.
/// </remarks>
public static class JsonCanonicalizer
{
    /// <summary>Canonicalizes one JSON text (a single value, optionally surrounded by whitespace).</summary>
    /// <param name="utf8Json">The JSON text as UTF-8, without a byte order mark.</param>
    /// <param name="limits">Resource limits; <see cref="CanonicalizationLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The canonical UTF-8 bytes, or an error with a reason code and a JSON Pointer to the offending value.</returns>
    public static CanonicalizationResult Canonicalize(ReadOnlySpan<byte> utf8Json, CanonicalizationLimits? limits = null)
    {
        var output = RentOutput();
        try
        {
            var error = TryWrite(utf8Json, output, limits);
            return error is null ? CanonicalizationResult.Success(output.WrittenSpan.ToArray()) : CanonicalizationResult.Failure(error);
        }
        finally
        {
            ReturnOutput(output);
        }
    }

    /// <summary>
    /// Canonicalizes an already-parsed value. <see cref="JsonDocument"/> keeps duplicate member names and unpaired
    /// surrogate escapes, so every I-JSON rule is still enforced here, from the raw UTF-8 of each token.
    /// </summary>
    /// <param name="element">A value from a live <see cref="JsonDocument"/> (not disposed).</param>
    /// <param name="limits">Resource limits; <see cref="CanonicalizationLimits.Default"/> when <see langword="null"/>.
    /// <see cref="CanonicalizationLimits.MaxInputBytes"/> applies to the element's raw JSON text.</param>
    /// <returns>The canonical UTF-8 bytes, or an error.</returns>
    /// <exception cref="ArgumentException"><paramref name="element"/> is <c>default</c> (<see cref="JsonValueKind.Undefined"/>).</exception>
    public static CanonicalizationResult Canonicalize(JsonElement element, CanonicalizationLimits? limits = null)
    {
        var output = RentOutput();
        try
        {
            var error = TryWrite(element, output, limits);
            return error is null ? CanonicalizationResult.Success(output.WrittenSpan.ToArray()) : CanonicalizationResult.Failure(error);
        }
        finally
        {
            ReturnOutput(output);
        }
    }

    // One scratch output per thread: bundles canonicalize millions of small payloads, and the only allocation left
    // per call should be the result itself. Taking it out of the slot makes a nested call (none today) safe.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_output;

    [ThreadStatic]
    private static StreamingCanonicalizer? t_streaming;

    private const int MaxCachedOutput = 1024 * 1024;

    private static ArrayBufferWriter<byte> RentOutput()
    {
        var output = t_output ?? new ArrayBufferWriter<byte>(1024);
        t_output = null;
        return output;
    }

    private static void ReturnOutput(ArrayBufferWriter<byte> output)
    {
        if (output.Capacity <= MaxCachedOutput)
        {
            output.ResetWrittenCount();
            t_output = output;
        }
    }

    /// <summary>Writes the canonical form of <paramref name="element"/> to <paramref name="output"/>.</summary>
    /// <param name="element">A value from a live <see cref="JsonDocument"/>.</param>
    /// <param name="output">Receives the canonical UTF-8. On error it may hold a partial write, which must be discarded.</param>
    /// <param name="limits">Resource limits; <see cref="CanonicalizationLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns><see langword="null"/> on success, otherwise the error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="element"/> is <c>default</c>.</exception>
    public static CanonicalizationError? TryWrite(JsonElement element, IBufferWriter<byte> output, CanonicalizationLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The element is default(JsonElement); it holds no JSON value.", nameof(element));
        }

        using var writer = new CanonicalWriter(output, limits ?? CanonicalizationLimits.Default);
        return writer.Write(element);
    }

    /// <summary>Writes the canonical form of the JSON text <paramref name="utf8Json"/> to <paramref name="output"/>.</summary>
    /// <param name="utf8Json">The JSON text as UTF-8.</param>
    /// <param name="output">Receives the canonical UTF-8. On error it may hold a partial write, which must be discarded.</param>
    /// <param name="limits">Resource limits; <see cref="CanonicalizationLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns><see langword="null"/> on success, otherwise the error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is <see langword="null"/>.</exception>
    public static CanonicalizationError? TryWrite(ReadOnlySpan<byte> utf8Json, IBufferWriter<byte> output, CanonicalizationLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        limits ??= CanonicalizationLimits.Default;
        if (utf8Json.Length > limits.MaxInputBytes)
        {
            return new CanonicalizationError(CanonicalizationErrorKind.TooLarge, $"The input is larger than {limits.MaxInputBytes} bytes.", "");
        }

        // Straight from the tokens when the streaming canonicalizer settles the input (it accepts only what the
        // reference below writes the same way); anything else, errors included, goes the reference way.
        var streaming = t_streaming ?? new StreamingCanonicalizer();
        t_streaming = null;
        try
        {
            if (streaming.TryWrite(utf8Json, limits))
            {
                var written = streaming.Written;
                written.CopyTo(output.GetSpan(written.Length));
                output.Advance(written.Length);
                return null;
            }
        }
        finally
        {
            streaming.Release();
            t_streaming = streaming;
        }

        // JsonDocument parses from memory, not spans; a pooled copy keeps the call allocation-light.
        var copy = ArrayPool<byte>.Shared.Rent(utf8Json.Length);
        try
        {
            utf8Json.CopyTo(copy);
            JsonDocument document;
            try
            {
                // Defaults already reject comments and trailing commas (RFC 8259 has neither). The parser's own depth
                // limit stops deep input before it allocates; Diagnose tells a depth failure from a syntax error.
                // Duplicates are let through on purpose: the writer reports them as DuplicateMemberName with a path.
                document = JsonDocument.Parse(
                    copy.AsMemory(0, utf8Json.Length),
                    new JsonDocumentOptions { MaxDepth = limits.MaxDepth, AllowDuplicateProperties = true });
            }
            catch (JsonException exception)
            {
                return Diagnose(utf8Json, limits, exception.Message);
            }

            using (document)
            {
                using var writer = new CanonicalWriter(output, limits);
                return writer.Write(document.RootElement);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    // Error path only: re-read the text to find where it failed and whether the failure was depth, not syntax.
    private static CanonicalizationError Diagnose(ReadOnlySpan<byte> utf8Json, CanonicalizationLimits limits, string parserMessage)
    {
        var frames = new List<(bool IsArray, int Index, string? Name)>();
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            // One level more than allowed, so this reader reaches the too-deep container and can name its path.
            MaxDepth = limits.MaxDepth == int.MaxValue ? int.MaxValue : limits.MaxDepth + 1,
        });

        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1] = (false, 0, JsonString.Describe(reader.ValueSpan));
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        continue;
                }

                // A value starts: advance the enclosing array's index.
                if (frames.Count > 0 && frames[^1].IsArray)
                {
                    frames[^1] = (true, frames[^1].Index + 1, null);
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    if (frames.Count + 1 > limits.MaxDepth)
                    {
                        return new CanonicalizationError(
                            CanonicalizationErrorKind.DepthExceeded, $"Objects and arrays are nested deeper than {limits.MaxDepth}.", PathOf(frames));
                    }

                    frames.Add((reader.TokenType == JsonTokenType.StartArray, -1, null));
                }
            }
        }
        catch (JsonException exception)
        {
            // The reader failed on the token after the last one it returned: in an array that is the next element;
            // in an object it is the current member's value only if a name was just read, else the object itself.
            if (frames.Count > 0)
            {
                var top = frames[^1];
                frames[^1] = top.IsArray
                    ? top with { Index = top.Index + 1 }
                    : reader.TokenType == JsonTokenType.PropertyName ? top : top with { Name = null };
            }

            return new CanonicalizationError(CanonicalizationErrorKind.InvalidJson, exception.Message, PathOf(frames));
        }

        return new CanonicalizationError(CanonicalizationErrorKind.InvalidJson, parserMessage, PathOf(frames));
    }

    // Frames are the open containers; a frame without a name or index yet (an object before its first name, an array
    // before its first element) adds no segment, so the pointer names the container itself.
    private static string PathOf(List<(bool IsArray, int Index, string? Name)> frames) =>
        JsonPointer.Format(
            frames.Where(f => f.IsArray ? f.Index >= 0 : f.Name is not null)
                .Select(f => f.IsArray ? f.Index.ToString(CultureInfo.InvariantCulture) : f.Name!)
                .ToList(),
            reversed: false);
}
