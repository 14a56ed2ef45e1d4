using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Http;

namespace Traces.Client.Services;

/// <summary>
/// The checks the issue asks for before sending (label length, metadata size), raising the service's codes. Other
/// limits are left to the service.
/// </summary>
internal static class ClientValidation
{
    public const int MaxLabelLength = 255;
    public const int MaxMetadataBytes = 16 * 1024;

    private static readonly JsonWriterOptions s_compact = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

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
    /// Metadata must be at most 16 KB in RFC 8785 form. Member order does not change the size; the compact,
    /// minimally escaped form is the same length as RFC 8785 for ordinary JSON (non-canonical numbers such as
    /// <c>1.0</c> or <c>1e2</c> may differ by a few bytes; the service has the last word).
    /// </summary>
    public static void Metadata(JsonObject? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, s_compact))
        {
            metadata.WriteTo(writer);
        }

        if (buffer.WrittenCount > MaxMetadataBytes)
        {
            throw ErrorMapper.ClientValidation(TracesErrorCodes.MetadataTooLarge, "metadata", $"metadata must be at most {MaxMetadataBytes} bytes; got {buffer.WrittenCount}");
        }
    }

    public static string TraceId(string traceId, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(traceId, paramName);
        return traceId;
    }
}
