using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Http;
using Traces.Verification.Canonicalization;

namespace Traces.Client.Services;

/// <summary>
/// The checks the issue asks for before sending (label length, metadata size), raising the service's codes. Other
/// limits are left to the service.
/// </summary>
internal static class ClientValidation
{
    public const int MaxLabelLength = 255;
    public const int MaxMetadataBytes = 16 * 1024;

    public static void Label(string? label, bool required)
    {
        if (label is null)
        {
            if (required)
            {
                throw ErrorMapper.ClientValidation(TracesErrorCodes.InvalidLabel, "label", "label is required unless agent_id is given");
            }

            return;
        }

        if (label.Length == 0 || label.Length > MaxLabelLength)
        {
            throw ErrorMapper.ClientValidation(TracesErrorCodes.InvalidLabel, "label", $"label must be 1 to {MaxLabelLength} characters; got {label.Length}");
        }
    }

    /// <summary>
    /// Metadata must be at most 16 KB in RFC 8785 form (docs/api.md, Limits), measured with Traces.Verification's
    /// canonicalizer. Metadata that cannot be canonicalized (not I-JSON) is left for the service to reject.
    /// </summary>
    public static void Metadata(JsonObject? metadata)
    {
        if (metadata is not null && Measure(metadata).CanonicalBytes is { } size && size > MaxMetadataBytes)
        {
            throw ErrorMapper.ClientValidation(TracesErrorCodes.MetadataTooLarge, "metadata", $"metadata must be at most {MaxMetadataBytes} bytes of RFC 8785 JSON; got {size}");
        }
    }

    /// <summary>
    /// The size of <paramref name="metadata"/> as System.Text.Json's compact text and, when that could be too large,
    /// in RFC 8785 form; <c>CanonicalBytes</c> is <c>null</c> when the compact text is short enough that the canonical
    /// form cannot pass the limit (not measured), or when the value cannot be canonicalized (not I-JSON).
    /// </summary>
    internal static (int CompactBytes, int? CanonicalBytes) Measure(JsonObject metadata)
    {
        // Every step and event carries metadata: the text and its canonical form go into buffers kept per thread
        // (one call at a time on a thread), not into a string, an array and a buffer per call.
        var buffers = t_buffers ??= new MetadataBuffers();
        try
        {
            buffers.Writer.Reset(buffers.Json);
            metadata.WriteTo(buffers.Writer);
            buffers.Writer.Flush();
            var compact = buffers.Json.WrittenCount;

            // RFC 8785 §3.2 form is at most 6 times as long as System.Text.Json's compact text of the same value: the
            // same structure without whitespace, strings with fewer escapes (STJ's \uXXXX, 6 bytes, stands for at
            // most 3 UTF-8 bytes), and a number at most 5.25 times its written length (ES6 form, §3.2.2.3: "1e20"
            // becomes 21 digits). Text of at most MaxMetadataBytes / 6 bytes cannot be too large: skip the work.
            if (compact <= MaxMetadataBytes / 6)
            {
                return (compact, null);
            }

            return JsonCanonicalizer.TryWrite(buffers.Json.WrittenSpan, buffers.Canonical) is null
                ? (compact, buffers.Canonical.WrittenCount)
                : (compact, null);
        }
        finally
        {
            buffers.Clear();
        }
    }

    [ThreadStatic]
    private static MetadataBuffers? t_buffers;

    private sealed class MetadataBuffers
    {
        // Metadata past the limit is rejected; buffers grown beyond this are dropped rather than kept per thread.
        private const int KeptCapacity = 4 * MaxMetadataBytes;

        public ArrayBufferWriter<byte> Json { get; private set; } = new(1024);

        public ArrayBufferWriter<byte> Canonical { get; private set; } = new(1024);

        public Utf8JsonWriter Writer { get; } = new(Stream.Null);

        public void Clear()
        {
            Writer.Reset(Stream.Null);
            Json = Json.Capacity > KeptCapacity ? new(1024) : Reset(Json);
            Canonical = Canonical.Capacity > KeptCapacity ? new(1024) : Reset(Canonical);
        }

        private static ArrayBufferWriter<byte> Reset(ArrayBufferWriter<byte> buffer)
        {
            buffer.ResetWrittenCount();
            return buffer;
        }
    }

    /// <summary>
    /// A member the request cannot do without: an <see cref="ArgumentException"/> for the <c>request</c> parameter
    /// that names the member, says what it holds and what is expected (not the bare "value cannot be empty").
    /// </summary>
    public static void Required(string? value, string member, string expected)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            var holds = value is null ? "null" : value.Length == 0 ? "empty" : $"'{value}' (white space only)";
            throw new ArgumentException($"{member} is required but is {holds}; expected {expected}.", "request");
        }
    }

    public static string TraceId(string traceId, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId, paramName);
        return traceId;
    }
}
