using System.Buffers;
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
        if (metadata is null)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        var utf8 = System.Text.Encoding.UTF8.GetBytes(metadata.ToJsonString());
        if (JsonCanonicalizer.TryWrite(utf8, buffer) is null && buffer.WrittenCount > MaxMetadataBytes)
        {
            throw ErrorMapper.ClientValidation(TracesErrorCodes.MetadataTooLarge, "metadata", $"metadata must be at most {MaxMetadataBytes} bytes of RFC 8785 JSON; got {buffer.WrittenCount}");
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
