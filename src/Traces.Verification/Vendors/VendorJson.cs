using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Traces.Verification.Canonicalization;
using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>Small helpers for reading vendor JSON with <see cref="Utf8JsonReader"/>.</summary>
internal static class VendorJson
{
    /// <summary>Reader options for vendor documents: no comments, no trailing commas, the given depth.</summary>
    public static JsonReaderOptions ReaderOptions(int maxDepth) => new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = maxDepth,
    };

    /// <summary>
    /// The string at the reader, unescaped and UTF-8-checked here. A lone surrogate escape is kept as that code unit,
    /// as <c>JSON.parse</c> keeps it. False for another token or an invalid string.
    /// </summary>
    public static bool TryGetString(ref Utf8JsonReader reader, out string value)
    {
        value = "";
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(raw.Length, 1));
        try
        {
            if (JsonString.Unescape(raw, buffer, out var written, keepLoneSurrogates: true) != UnescapeStatus.Done)
            {
                return false;
            }

            value = new string(buffer, 0, written);
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A whole vendor document as a <see cref="JsonDocument"/>: byte order mark skipped, a member written twice refused
    /// (a verifier must not pick one of two values for the reader), nesting up to <paramref name="maxDepth"/>.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not such a document.</exception>
    public static JsonDocument ParseDocument(ReadOnlySpan<byte> utf8, int maxDepth) =>
        JsonDocument.Parse(SkipBom(utf8).ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = maxDepth });

    /// <summary><see cref="ParseDocument"/>, or a <c>malformed</c> finding on the form check when the bytes are not a document.</summary>
    public static bool TryParseDocument(ReadOnlySpan<byte> utf8, int maxDepth, VendorReportBuilder builder, [NotNullWhen(true)] out JsonDocument? document)
    {
        try
        {
            document = ParseDocument(utf8, maxDepth);
            return true;
        }
        catch (JsonException exception)
        {
            builder.Add(VendorCheckNames.Form, new Finding(FindingCodes.Malformed, FindingSeverity.Error, $"The document is not valid JSON: {exception.Message}"));
            document = null;
            return false;
        }
    }

    /// <summary><paramref name="utf8"/> without a leading UTF-8 byte order mark (RFC 8259 §8.1 lets a parser ignore it).</summary>
    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> utf8) => utf8.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;

    /// <summary>The first byte that is not JSON whitespace or a UTF-8 byte order mark, or -1.</summary>
    public static int FirstSignificantByte(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return -1;
    }

    /// <summary>The property name at the reader, or false when it is not representable (a lone surrogate).</summary>
    public static bool TryGetPropertyName(ref Utf8JsonReader reader, out string name)
    {
        name = "";
        try
        {
            name = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
