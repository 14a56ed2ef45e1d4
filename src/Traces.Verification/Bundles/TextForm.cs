using System.Text.Json;

namespace Traces.Verification.Bundles;

/// <summary>
/// Breaks of the format that only the JSON text shows, because the object model reads them as something valid:
/// <c>null</c> where a member is optional (the model's null also means absent), a missing member the model fills
/// with null, and <c>-0</c> for an integer (the model's 0). Each is <c>malformed</c> (proof-format §9.1).
/// </summary>
[Flags]
internal enum TextFormIssues
{
    /// <summary>Nothing only the text shows.</summary>
    None = 0,

    /// <summary><c>"public_key": null</c>: an optional string is absent when not given, never null (§9.1).</summary>
    PublicKeyNull = 1,

    /// <summary>An entry without <c>previous_chain_hash</c>, which is always present (§9.1; <c>null</c> for the first entry).</summary>
    PreviousChainHashAbsent = 2,

    /// <summary><c>"index": -0</c>: integers are never written <c>-0</c> (§9).</summary>
    IndexNegativeZero = 4,

    /// <summary><c>"event_count": -0</c> (§9).</summary>
    EventCountNegativeZero = 8,

    /// <summary>A <c>previous_chain_hash</c> that is neither a string nor <c>null</c> (§9.1).</summary>
    PreviousChainHashNotString = 16,

    /// <summary>A <c>timestamp</c> that is not a string (<c>null</c>, a number): informative, but in form (§9.5).</summary>
    TimestampNotString = 32,
}

/// <summary>Finds <see cref="TextFormIssues"/> in the JSON text of one object (an entry, a seal event, a certificate).</summary>
internal static class TextForm
{
    /// <summary>
    /// The issues of the object's own members (not of its payload); <paramref name="chained"/> for an entry of
    /// <c>events</c>, which must have <c>previous_chain_hash</c>. None when the text is not an object.
    /// </summary>
    public static TextFormIssues Inspect(ReadOnlySpan<byte> objectJson, bool chained)
    {
        var issues = TextFormIssues.None;
        var reader = new Utf8JsonReader(objectJson);
        var sawPrevious = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return TextFormIssues.None;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var publicKey = reader.ValueTextEquals("public_key"u8);
                var previous = reader.ValueTextEquals("previous_chain_hash"u8);
                var index = reader.ValueTextEquals("index"u8);
                var count = reader.ValueTextEquals("event_count"u8);
                reader.Read();
                if (publicKey && reader.TokenType == JsonTokenType.Null)
                {
                    issues |= TextFormIssues.PublicKeyNull;
                }

                if ((index || count) && IsNegativeZero(ref reader))
                {
                    issues |= index ? TextFormIssues.IndexNegativeZero : TextFormIssues.EventCountNegativeZero;
                }

                sawPrevious |= previous;
                reader.Skip();
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return issues;
        }

        return chained && !sawPrevious ? issues | TextFormIssues.PreviousChainHashAbsent : issues;
    }

    /// <summary><see cref="TextFormIssues.EventCountNegativeZero"/> when the bundle's <c>event_count</c> is written <c>-0</c>.</summary>
    public static TextFormIssues OfEventCount(ReadOnlySpan<byte> json) =>
        json.SequenceEqual("-0"u8) ? TextFormIssues.EventCountNegativeZero : TextFormIssues.None;

    /// <summary>The first name the object itself (not a nested value) has twice, or null.</summary>
    public static string? FirstDuplicateName(ReadOnlySpan<byte> objectJson)
    {
        var reader = new Utf8JsonReader(objectJson, new JsonReaderOptions { MaxDepth = int.MaxValue });
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!names.Add(name))
                {
                    return name;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return null;
        }

        return null;
    }

    /// <summary>True when the current token is the number <c>-0</c> (its literal text, not its value).</summary>
    internal static bool IsNegativeZero(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && !reader.HasValueSequence && reader.ValueSpan.SequenceEqual("-0"u8);
}
