using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Client.Models;

/// <summary>
/// The kind of an agent step (Novyx): <c>THOUGHT</c>, <c>ACTION</c>, <c>OBSERVATION</c>, <c>OUTPUT</c>, <c>ERROR</c>,
/// <c>POLICY_CHECK</c>. An extensible enumeration: unknown values round-trip unchanged.
/// </summary>
[JsonConverter(typeof(StepTypeJsonConverter))]
public readonly struct StepType : IEquatable<StepType>
{
    private readonly string? _value;

    /// <summary>Creates a step type from its wire value.</summary>
    /// <param name="value">The wire value, e.g. <c>THOUGHT</c>.</param>
    public StepType(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Internal reasoning or planning.</summary>
    public static StepType Thought { get; } = new("THOUGHT");

    /// <summary>An external action (API call, tool use).</summary>
    public static StepType Action { get; } = new("ACTION");

    /// <summary>The result of an action.</summary>
    public static StepType Observation { get; } = new("OBSERVATION");

    /// <summary>Final output to the user.</summary>
    public static StepType Output { get; } = new("OUTPUT");

    /// <summary>An error the agent met.</summary>
    public static StepType Error { get; } = new("ERROR");

    /// <summary>A safety or policy validation.</summary>
    public static StepType PolicyCheck { get; } = new("POLICY_CHECK");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Equality by wire value (ordinal).</summary>
    public static bool operator ==(StepType left, StepType right) => left.Equals(right);

    /// <summary>Inequality by wire value.</summary>
    public static bool operator !=(StepType left, StepType right) => !left.Equals(right);

    /// <summary>Converts a wire value to a step type.</summary>
    public static implicit operator StepType(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(StepType other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is StepType other && Equals(other);

    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class StepTypeJsonConverter : JsonConverter<StepType>
{
    public override StepType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? new StepType(reader.GetString()!)
            : throw new JsonException("A step type must be a string.");

    public override void Write(Utf8JsonWriter writer, StepType value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
