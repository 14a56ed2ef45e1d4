using System.Text;
using System.Text.Json;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Proofs;

namespace Traces.LocalServer.Api;

/// <summary>
/// A request body checked for I-JSON (docs/api.md <c>invalid_json</c>) and read field by field, so each problem is
/// reported with its field name. Unknown members are ignored, as clients may be newer than the server.
/// </summary>
internal sealed class JsonInput : IDisposable
{
    private readonly JsonDocument _document;

    public static JsonElement EmptyObject { get; } = JsonElement.Parse("{}");

    private JsonInput(JsonDocument document) => _document = document;

    public JsonElement Root => _document.RootElement;

    public static async Task<JsonInput> ReadObjectAsync(HttpContext context)
    {
        var body = await RequestBody.ReadAsync(context);
        if (body.Length == 0)
        {
            throw ApiException.InvalidJson("The request body is empty; a JSON object is expected.");
        }

        // The canonicalizer is the I-JSON gate: duplicate names, lone surrogates, unsafe integers, non-finite numbers.
        if (!ProofPrimitives.TryCanonicalize(body, out _, out var error))
        {
            throw ApiException.InvalidJson("The request body is not I-JSON: " + error);
        }

        var document = JsonDocument.Parse(body);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw ApiException.InvalidJson("The request body must be a JSON object.");
        }

        return new JsonInput(document);
    }

    public string? OptionalString(string name, int maxLength) => OptionalString(Root, name, name, maxLength);

    /// <summary>
    /// The string member <paramref name="name"/> of <paramref name="parent"/>, or <see langword="null"/> when it is
    /// missing or <c>null</c>; errors are reported under <paramref name="path"/> (a nested member's dotted path).
    /// </summary>
    public static string? OptionalString(JsonElement parent, string path, string name, int maxLength)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ApiException.Validation(path, "must be a string");
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            throw ApiException.Validation(path, $"must be at most {maxLength} characters");
        }

        return text;
    }

    public string RequiredString(string name, int maxLength)
    {
        var text = OptionalString(name, maxLength);
        return string.IsNullOrEmpty(text) ? throw ApiException.Validation(name, "is required") : text;
    }

    /// <summary>An optional JSON object member, with its RFC 8785 size checked against <paramref name="maxBytes"/>.</summary>
    public JsonElement? OptionalObject(string name, int maxBytes, string tooLargeCode)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Validation(name, "must be a JSON object");
        }

        CheckSize(name, value, maxBytes, tooLargeCode);
        return value.Clone(); // outlives the request document
    }

    public static byte[] CheckSize(string name, JsonElement value, int maxBytes, string tooLargeCode)
    {
        var canonical = ProofPrimitives.Canonicalize(value);
        if (canonical.Length > maxBytes)
        {
            throw tooLargeCode == ErrorCodes.MetadataTooLarge
                ? new ApiException(400, ErrorCodes.MetadataTooLarge, "Metadata too large",
                    $"'{name}' is {canonical.Length} bytes of RFC 8785 JSON; the limit is {maxBytes}.")
                : ApiException.Validation(name, $"must be at most {maxBytes} bytes of RFC 8785 JSON (got {canonical.Length})");
        }

        return canonical;
    }

    public IReadOnlyList<string>? OptionalStringArray(string name, int maxItems, int maxItemLength)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw ApiException.Validation(name, "must be an array of strings");
        }

        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length > maxItemLength)
            {
                throw ApiException.Validation(name, $"must contain strings of at most {maxItemLength} characters");
            }

            items.Add(item.GetString()!);
        }

        return items.Count > maxItems ? throw ApiException.Validation(name, $"must have at most {maxItems} items") : items;
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public void Dispose() => _document.Dispose();
}
