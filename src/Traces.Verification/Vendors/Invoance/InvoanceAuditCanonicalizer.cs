using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Vendors.Invoance;

/// <summary>
/// The canonical bytes of an Invoance audit event, <c>invoance.audit/1</c> (spec-audit-1.md §4, as the Python SDK's
/// <c>audit_canonical.py</c> that generated the golden vectors implements it): the signed fields that are present and
/// not null, both timestamps normalized to UTC <c>.sssZ</c> (truncated), a forced <c>schema_id</c>; null object
/// members removed at every depth; keys sorted at every depth; then
/// <c>json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)</c> encoded as UTF-8. Python's
/// <c>json.dumps</c> escapes strings exactly as <c>JSON.stringify</c> does; integers keep all their digits (no 2^53 limit).
/// </summary>
internal static partial class InvoanceAuditCanonicalizer
{
    /// <summary>The schema id forced into every canonical form.</summary>
    public const string SchemaId = "invoance.audit/1";

    /// <summary>§4.3: the fields in the signed object, besides the forced <c>schema_id</c>.</summary>
    public static readonly string[] SignedFields =
        ["org_id", "event_id", "seq", "ingested_at", "action", "occurred_at", "actor", "targets", "context", "metadata"];

    private static readonly string[] s_required = ["org_id", "event_id", "seq", "ingested_at", "action", "occurred_at", "actor", "targets"];

    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    /// <summary>
    /// The canonical bytes of <paramref name="ev"/> as served by the API (<c>id</c> or <c>event_id</c>). False with the
    /// reason when the event cannot be canonicalized (a required field missing, a bad timestamp, a lone surrogate…).
    /// </summary>
    public static bool TryCanonicalize(JsonElement ev, [NotNullWhen(true)] out byte[]? canonical, [NotNullWhen(false)] out string? error)
    {
        canonical = null;
        if (ev.ValueKind != JsonValueKind.Object)
        {
            error = "The event is not a JSON object.";
            return false;
        }

        var signed = new SortedDictionary<string, JsonElement>(CodePointComparer.Instance);
        foreach (var field in SignedFields)
        {
            if (!TryGetField(ev, field, out var value, out error))
            {
                return false;
            }

            if (value is { } present)
            {
                signed[field] = present;
            }
        }

        foreach (var field in s_required)
        {
            if (!signed.ContainsKey(field))
            {
                error = $"missing required field: {field}";
                return false;
            }
        }

        var output = new ArrayBufferWriter<byte>(512);
        EcmaScriptJson.WriteAscii(output, '{');
        var first = true;
        foreach (var (name, value) in signed.Append(new("schema_id", default)).OrderBy(p => p.Key, CodePointComparer.Instance))
        {
            if (!first)
            {
                EcmaScriptJson.WriteAscii(output, ',');
            }

            first = false;
            EcmaScriptJson.WriteString(name, output);
            EcmaScriptJson.WriteAscii(output, ':');
            if (name == "schema_id")
            {
                EcmaScriptJson.WriteString(SchemaId, output);
            }
            else if (name is "occurred_at" or "ingested_at")
            {
                if (value.ValueKind != JsonValueKind.String || !TryNormalizeTimestamp(value.GetString()!, out var normalized))
                {
                    error = $"invalid RFC3339 timestamp in {name}: {value.GetRawText()}";
                    return false;
                }

                EcmaScriptJson.WriteString(normalized, output);
            }
            else if (!TryWrite(value, output, name, out error))
            {
                return false;
            }
        }

        EcmaScriptJson.WriteAscii(output, '}');
        canonical = output.WrittenSpan.ToArray();
        error = null;
        return true;
    }

    /// <summary>
    /// §4.4: RFC 3339 to UTC with exactly three fractional digits, truncated, and <c>Z</c>. Surrounding whitespace is
    /// ignored (Python <c>str.strip()</c>); a date or time out of range is invalid (Python <c>datetime</c>).
    /// </summary>
    public static bool TryNormalizeTimestamp(string value, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        var match = Rfc3339().Match(value.Trim());
        if (!match.Success)
        {
            return false;
        }

        int Part(int group) => int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        var (year, month, day, hour, minute, second) = (Part(1), Part(2), Part(3), Part(4), Part(5), Part(6));
        var fraction = match.Groups[7].Success ? match.Groups[7].Value : "";
        var millis = int.Parse((fraction + "000")[..3], NumberStyles.None, CultureInfo.InvariantCulture);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var instant = new DateTime(year, month, day, hour, minute, second, millis, DateTimeKind.Utc);
        var offset = match.Groups[8].Value;
        if (offset is not ("Z" or "z"))
        {
            var sign = offset[0] == '+' ? 1 : -1;
            var shift = TimeSpan.FromHours(int.Parse(offset.AsSpan(1, 2), CultureInfo.InvariantCulture))
                + TimeSpan.FromMinutes(int.Parse(offset.AsSpan(4, 2), CultureInfo.InvariantCulture));
            try
            {
                instant = instant.AddTicks(-sign * shift.Ticks);
            }
            catch (ArgumentOutOfRangeException)
            {
                return false;
            }
        }

        normalized = instant.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>A signed field's value: null when absent or JSON null (null and absent are the same, §4.2).</summary>
    private static bool TryGetField(JsonElement ev, string field, out JsonElement? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        error = null;
        if (field == "event_id")
        {
            // The API serves the event's id as "id"; the SDKs take id ?? event_id. Both, different, is ambiguous.
            var id = NonNull(ev, "id");
            var eventId = NonNull(ev, "event_id");
            if (id is { } a && eventId is { } b && !JsonElement.DeepEquals(a, b))
            {
                error = "The event has both 'id' and 'event_id', with different values.";
                return false;
            }

            value = id ?? eventId;
            return true;
        }

        value = NonNull(ev, field);
        return true;
    }

    private static JsonElement? NonNull(JsonElement ev, string name) =>
        ev.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static bool TryWrite(JsonElement value, ArrayBufferWriter<byte> output, string path, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                EcmaScriptJson.WriteAscii(output, '{');
                var first = true;
                var members = new List<(string Name, JsonElement Value)>();
                foreach (var member in value.EnumerateObject())
                {
                    if (member.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue;   // §4.2 r5: null members are removed at every depth.
                    }

                    if (!TryGetText(() => member.Name, out var name))
                    {
                        error = $"A member name in {path} holds a lone surrogate, which has no UTF-8 form.";
                        return false;
                    }

                    members.Add((name, member.Value));
                }

                foreach (var (name, member) in members.OrderBy(m => m.Name, CodePointComparer.Instance))
                {
                    if (!first)
                    {
                        EcmaScriptJson.WriteAscii(output, ',');
                    }

                    first = false;
                    EcmaScriptJson.WriteString(name, output);
                    EcmaScriptJson.WriteAscii(output, ':');
                    if (!TryWrite(member, output, path + "." + name, out error))
                    {
                        return false;
                    }
                }

                EcmaScriptJson.WriteAscii(output, '}');
                return true;
            case JsonValueKind.Array:
                EcmaScriptJson.WriteAscii(output, '[');
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index > 0)
                    {
                        EcmaScriptJson.WriteAscii(output, ',');
                    }

                    // Array elements keep their nulls (only object members are stripped).
                    if (!TryWrite(item, output, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]", out error))
                    {
                        return false;
                    }

                    index++;
                }

                EcmaScriptJson.WriteAscii(output, ']');
                return true;
            case JsonValueKind.String:
                if (!TryGetText(value.GetString, out var text))
                {
                    error = $"A string in {path} holds a lone surrogate, which has no UTF-8 form.";
                    return false;
                }

                EcmaScriptJson.WriteString(text, output);
                return true;
            case JsonValueKind.Number:
                return TryWriteNumber(value, output, path, out error);
            case JsonValueKind.True:
                output.Write("true"u8);
                return true;
            case JsonValueKind.False:
                output.Write("false"u8);
                return true;
            default:
                output.Write("null"u8);
                return true;
        }
    }

    private static bool TryWriteNumber(JsonElement value, ArrayBufferWriter<byte> output, string path, [NotNullWhen(false)] out string? error)
    {
        error = null;
        var raw = value.GetRawText();
        if (raw.AsSpan().IndexOfAny(".eE") < 0)
        {
            // Python int: every digit kept; "-0" is the integer 0.
            output.Write(System.Text.Encoding.ASCII.GetBytes(raw == "-0" ? "0" : raw));
            return true;
        }

        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !PythonFloat.TryFormat(number, out var text))
        {
            error = $"The number {raw} in {path} is out of the range of a double.";
            return false;
        }

        output.Write(System.Text.Encoding.ASCII.GetBytes(text));
        return true;
    }

    private static bool TryGetText(Func<string?> get, [NotNullWhen(true)] out string? text)
    {
        try
        {
            // System.Text.Json refuses to produce a string with a lone surrogate; Python would keep it and then fail to
            // encode the canonical text as UTF-8. Either way there are no canonical bytes.
            text = get()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>Orders strings by Unicode code point, as Python's <c>sorted</c> does (UTF-16 order differs above U+E000).</summary>
    private sealed class CodePointComparer : IComparer<string>
    {
        public static readonly CodePointComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : -1) : 1;
            }

            var length = Math.Min(x.Length, y.Length);
            for (var i = 0; i < length; i++)
            {
                if (x[i] != y[i])
                {
                    return Fix(x[i]) - Fix(y[i]);
                }
            }

            return x.Length - y.Length;
        }

        // Surrogates (U+D800–U+DFFF) stand for code points above U+FFFF: move them above U+E000–U+FFFF.
        private static int Fix(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
    }
}
