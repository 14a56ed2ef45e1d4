using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Verification.Bundles;

namespace Traces.TestSupport;

/// <summary>
/// The one way test vectors are written (indented, LF, raw UTF-8, trailing newline) and the JSON-tree helpers the
/// tamper cases edit bundles with.
/// </summary>
public static class BundleJson
{
    private static readonly JsonWriterOptions s_writer = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A bundle as an editable JSON tree.</summary>
    public static JsonObject ToNode(ProofBundle bundle) =>
        JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle))!.AsObject();

    /// <summary>Any traces/v1 object as an editable JSON tree.</summary>
    public static JsonNode ToNode<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(value, type))!;

    /// <summary>Writes a tree as a vector file: two-space indent, LF, non-ASCII as UTF-8, trailing newline.</summary>
    public static byte[] Write(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writer))
        {
            node.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>The <paramref name="index"/>th entry of a bundle tree.</summary>
    public static JsonObject Entry(JsonObject bundle, int index) => bundle["events"]!.AsArray()[index]!.AsObject();

    /// <summary>Replaces the first occurrence of <paramref name="placeholder"/> in the written text (for JSON no tree can hold).</summary>
    public static byte[] ReplaceText(byte[] json, string placeholder, string replacement)
    {
        var text = Encoding.UTF8.GetString(json);
        var at = text.IndexOf(placeholder, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"'{placeholder}' is not in the document.");
        }

        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + placeholder.Length)));
    }

    /// <summary>The typed bundle of a JSON text, or null when the lenient deserializer cannot read it.</summary>
    public static ProofBundle? TryReadTyped(byte[] json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TracesJsonContext.Default.ProofBundle);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
