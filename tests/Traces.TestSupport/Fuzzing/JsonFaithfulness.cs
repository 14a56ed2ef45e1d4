using System.Text.Json;

namespace Traces.TestSupport.Fuzzing;

/// <summary>
/// Whether two JSON texts are the same document for the verifier: the same members (each name once) with the same
/// values, strings compared after unescaping, numbers by their literal text (<c>-0</c> is not <c>0</c>, <c>1.50</c> is
/// not <c>1.5</c>), <c>null</c> only where <c>null</c>. Whitespace, member order and escaping may differ. A typed object
/// whose serialization is the same document as the text it was read from is faithful to it, and must get its verdict.
/// </summary>
public static class JsonFaithfulness
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are the same document.</summary>
    public static bool SameDocument(byte[] a, byte[] b)
    {
        try
        {
            using var left = JsonDocument.Parse(a);
            using var right = JsonDocument.Parse(b);
            return Same(left.RootElement, right.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string without a UTF-16 form: the typed object cannot be faithful to it.
            return false;
        }
    }

    private static bool Same(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                var left = Members(a);
                var right = Members(b);
                return left is not null && right is not null && left.Count == right.Count
                    && left.All(p => right.TryGetValue(p.Key, out var other) && Same(p.Value, other));
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Same(p.First, p.Second));
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Number:
                return a.GetRawText() == b.GetRawText();
            default:
                return true;
        }
    }

    private static Dictionary<string, JsonElement>? Members(JsonElement element)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!members.TryAdd(property.Name, property.Value))
            {
                return null; // A duplicate name: no object model holds it.
            }
        }

        return members;
    }
}
