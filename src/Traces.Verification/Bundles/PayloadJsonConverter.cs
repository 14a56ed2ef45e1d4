using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// Reads <c>"payload": null</c> as the JSON value <c>null</c> (a <see cref="JsonElement"/> of kind
/// <see cref="JsonValueKind.Null"/>), not as a withheld payload: only an absent member is withheld (proof-format §9.1,
/// §4.3), and a payload edited to <c>null</c> must fail its hash like any other edit.
/// </summary>
internal sealed class PayloadJsonConverter : JsonConverter<JsonElement?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override JsonElement? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonElement.ParseValue(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, JsonElement? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } element)
        {
            element.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
