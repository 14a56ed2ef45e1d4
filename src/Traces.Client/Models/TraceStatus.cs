using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Client.Models;

/// <summary>
/// The lifecycle state of a trace (docs/api.md: <c>open</c>, <c>sealing</c>, <c>sealed</c>, <c>failed</c>). An
/// extensible enumeration: values the service adds later (or Novyx's <c>active</c> / <c>completed</c>) round-trip
/// unchanged.
/// </summary>
[JsonConverter(typeof(TraceStatusJsonConverter))]
public readonly struct TraceStatus : IEquatable<TraceStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from its wire value.</summary>
    /// <param name="value">The wire value, e.g. <c>open</c>.</param>
    public TraceStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The trace accepts entries.</summary>
    public static TraceStatus Open { get; } = new("open");

    /// <summary>Sealing has started: no entries accepted, proof not available yet.</summary>
    public static TraceStatus Sealing { get; } = new("sealing");

    /// <summary>The trace is sealed; proof and certificate are available.</summary>
    public static TraceStatus Sealed { get; } = new("sealed");

    /// <summary>Sealing failed; the trace's <c>error</c> says why.</summary>
    public static TraceStatus Failed { get; } = new("failed");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether the status is terminal for a seal (<see cref="Sealed"/> or <see cref="Failed"/>).</summary>
    public bool IsTerminal => this == Sealed || this == Failed;

    /// <summary>Equality by ordinal, case-insensitive wire value.</summary>
    public static bool operator ==(TraceStatus left, TraceStatus right) => left.Equals(right);

    /// <summary>Inequality by wire value.</summary>
    public static bool operator !=(TraceStatus left, TraceStatus right) => !left.Equals(right);

    /// <summary>Converts a wire value to a status.</summary>
    public static implicit operator TraceStatus(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(TraceStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is TraceStatus other && Equals(other);

    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;
}

internal sealed class TraceStatusJsonConverter : JsonConverter<TraceStatus>
{
    public override TraceStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? new TraceStatus(reader.GetString()!)
            : throw new JsonException("A trace status must be a string.");

    public override void Write(Utf8JsonWriter writer, TraceStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
