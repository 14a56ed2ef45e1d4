using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Client.Serialization;

/// <summary>
/// Reads any RFC 3339 timestamp; writes the contract's form (docs/api.md): UTC, six fractional digits, <c>Z</c>.
/// </summary>
internal sealed class Rfc3339TimestampConverter : JsonConverter<DateTimeOffset>
{
    internal const string WireFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("A timestamp must be a JSON string.");
        }

        var text = reader.GetString()!;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new JsonException($"Not an RFC 3339 timestamp: '{text}'.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Format(value));

    internal static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(WireFormat, CultureInfo.InvariantCulture);
}
