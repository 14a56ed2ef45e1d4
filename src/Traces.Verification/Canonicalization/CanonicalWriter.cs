using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Traces.Verification.Canonicalization;

/// <summary>
/// Walks a <see cref="JsonElement"/> tree and writes its RFC 8785 form, re-checking every token against I-JSON
/// (RFC 7493) from the raw UTF-8, because <see cref="JsonDocument"/> keeps duplicate names and lone surrogate escapes.
/// One instance per call; scratch buffers are pooled and returned by <see cref="Dispose"/>.
/// </summary>
internal sealed class CanonicalWriter : IDisposable
{
    private readonly IBufferWriter<byte> _output;
    private readonly CanonicalizationLimits _limits;

    // Decoded member names of every open object, stacked: an object's names live in [its base, _nameTop).
    private char[] _names;
    private int _nameTop;

    // Members of every open object, stacked the same way.
    private Member[] _members;
    private int _memberTop;

    private char[]? _scratch;

    public CanonicalWriter(IBufferWriter<byte> output, CanonicalizationLimits limits)
    {
        _output = output;
        _limits = limits;
        _names = ArrayPool<char>.Shared.Rent(256);
        _members = ArrayPool<Member>.Shared.Rent(16);
    }

    public CanonicalizationError? Write(JsonElement root)
    {
        if (JsonMarshal.GetRawUtf8Value(root).Length > _limits.MaxInputBytes)
        {
            return new CanonicalizationError(CanonicalizationErrorKind.TooLarge, $"The JSON value is larger than {_limits.MaxInputBytes} bytes.", "");
        }

        return WriteValue(root, 0)?.ToError();
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_names);
        ArrayPool<Member>.Shared.Return(_members, clearArray: true);
        if (_scratch is not null)
        {
            ArrayPool<char>.Shared.Return(_scratch);
        }
    }

    private Failure? WriteValue(JsonElement element, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                return WriteObject(element, depth + 1);
            case JsonValueKind.Array:
                return WriteArray(element, depth + 1);
            case JsonValueKind.String:
                return WriteStringValue(JsonMarshal.GetRawUtf8Value(element));
            case JsonValueKind.Number:
                return WriteNumber(JsonMarshal.GetRawUtf8Value(element));
            case JsonValueKind.True:
                Append("true"u8);
                return null;
            case JsonValueKind.False:
                Append("false"u8);
                return null;
            case JsonValueKind.Null:
                Append("null"u8);
                return null;
            default:
                return new Failure(CanonicalizationErrorKind.InvalidJson, $"Unexpected JSON value kind {element.ValueKind}.");
        }
    }

    private Failure? CheckDepth(int depth) =>
        // The limit is checked before recursing, and the stack probe guards callers who raise MaxDepth very high.
        depth > _limits.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack()
            ? new Failure(CanonicalizationErrorKind.DepthExceeded, $"Objects and arrays are nested deeper than {_limits.MaxDepth}.")
            : null;

    private Failure? WriteArray(JsonElement array, int depth)
    {
        if (CheckDepth(depth) is { } tooDeep)
        {
            return tooDeep;
        }

        JsonString.WriteByte(_output, (byte)'[');
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (index > 0)
            {
                JsonString.WriteByte(_output, (byte)',');
            }

            if (WriteValue(item, depth) is { } failure)
            {
                return failure.Under(index.ToString(CultureInfo.InvariantCulture));
            }

            index++;
        }

        JsonString.WriteByte(_output, (byte)']');
        return null;
    }

    private Failure? WriteObject(JsonElement obj, int depth)
    {
        if (CheckDepth(depth) is { } tooDeep)
        {
            return tooDeep;
        }

        var memberBase = _memberTop;
        var nameBase = _nameTop;
        try
        {
            foreach (var property in obj.EnumerateObject())
            {
                var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                EnsureNameCapacity(raw.Length);
                var status = JsonString.Unescape(raw, _names.AsSpan(_nameTop), out var length);
                if (status != UnescapeStatus.Done)
                {
                    return StringFailure(status, "member name").Under(JsonString.Describe(raw));
                }

                if (length > _limits.MaxStringLength)
                {
                    return TooLong("member name").Under(JsonString.Describe(raw));
                }

                if (_memberTop == _members.Length)
                {
                    Grow(ref _members, _memberTop, clear: true);
                }

                _members[_memberTop++] = new Member(_nameTop, length, property.Value);
                _nameTop += length;
            }

            // RFC 8785 §3.2.3: members sorted by name as arrays of UTF-16 code units.
            var members = _members.AsSpan(memberBase, _memberTop - memberBase);
            MemberOrder.Sort(members, _names);

            JsonString.WriteByte(_output, (byte)'{');
            for (var i = 0; i < members.Length; i++)
            {
                // Re-read each time: a nested object may have grown (replaced) the shared arrays.
                var member = _members[memberBase + i];
                var name = _names.AsSpan(member.NameStart, member.NameLength);
                if (i > 0)
                {
                    var previous = _members[memberBase + i - 1];
                    if (name.SequenceEqual(_names.AsSpan(previous.NameStart, previous.NameLength)))
                    {
                        // RFC 7493 §2.3: names must be unique; after sorting, equal names are adjacent.
                        return new Failure(CanonicalizationErrorKind.DuplicateMemberName, "Duplicate member name.").Under(name.ToString());
                    }

                    JsonString.WriteByte(_output, (byte)',');
                }

                JsonString.Write(name, _output);
                JsonString.WriteByte(_output, (byte)':');
                if (WriteValue(member.Value, depth) is { } failure)
                {
                    return failure.Under(_names.AsSpan(member.NameStart, member.NameLength).ToString());
                }
            }

            JsonString.WriteByte(_output, (byte)'}');
            return null;
        }
        finally
        {
            // Drop references to the document so the pooled array does not keep it alive.
            _members.AsSpan(memberBase, _memberTop - memberBase).Clear();
            _memberTop = memberBase;
            _nameTop = nameBase;
        }
    }

    private Failure? WriteStringValue(ReadOnlySpan<byte> token)
    {
        var raw = token[1..^1];
        if (JsonString.IsVerbatim(raw))
        {
            // Fast path: no escapes, so the canonical form is the raw bytes, provided they are valid UTF-8.
            if (!System.Text.Unicode.Utf8.IsValid(raw))
            {
                return StringFailure(UnescapeStatus.InvalidUtf8, "string");
            }

            if (raw.Length > _limits.MaxStringLength && System.Text.Encoding.UTF8.GetCharCount(raw) > _limits.MaxStringLength)
            {
                return TooLong("string");
            }

            JsonString.WriteByte(_output, (byte)'"');
            Append(raw);
            JsonString.WriteByte(_output, (byte)'"');
            return null;
        }

        if (_scratch is null || _scratch.Length < raw.Length)
        {
            if (_scratch is not null)
            {
                ArrayPool<char>.Shared.Return(_scratch);
            }

            _scratch = ArrayPool<char>.Shared.Rent(Math.Max(raw.Length, 256));
        }

        var status = JsonString.Unescape(raw, _scratch, out var length);
        if (status != UnescapeStatus.Done)
        {
            return StringFailure(status, "string");
        }

        if (length > _limits.MaxStringLength)
        {
            return TooLong("string");
        }

        JsonString.Write(_scratch.AsSpan(0, length), _output);
        return null;
    }

    private Failure? WriteNumber(ReadOnlySpan<byte> token)
    {
        if (token.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // RFC 7493 §2.2: an integer literal outside ±(2^53−1) cannot be exchanged exactly.
            if (!EcmaScriptNumber.IsSafeIntegerLiteral(token))
            {
                return new Failure(CanonicalizationErrorKind.UnsafeInteger, "The integer's magnitude exceeds 2^53-1 (I-JSON, RFC 7493 §2.2).");
            }

            // A safe integer is exact in binary64 and prints as its own digits (ECMA-262 Number::toString step 6),
            // except that -0 prints as 0.
            Append(token.SequenceEqual("-0"u8) ? "0"u8 : token);
            return null;
        }

        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return new Failure(CanonicalizationErrorKind.InvalidJson, "Unparsable number.");
        }

        if (!double.IsFinite(value))
        {
            return new Failure(CanonicalizationErrorKind.NonFiniteNumber, "The number is outside the binary64 range (RFC 8785 §3.2.2.3).");
        }

        var span = _output.GetSpan(EcmaScriptNumber.MaxLength);
        _output.Advance(EcmaScriptNumber.Format(value, span));
        return null;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }

    private void EnsureNameCapacity(int extra)
    {
        if (_names.Length - _nameTop < extra)
        {
            var bigger = ArrayPool<char>.Shared.Rent(Math.Max(_names.Length * 2, _nameTop + extra));
            _names.AsSpan(0, _nameTop).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(_names);
            _names = bigger;
        }
    }

    private static void Grow<T>(ref T[] array, int used, bool clear)
    {
        var bigger = ArrayPool<T>.Shared.Rent(array.Length * 2);
        array.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(array, clear);
        array = bigger;
    }

    private Failure TooLong(string what) =>
        new(CanonicalizationErrorKind.StringTooLong, $"The {what} is longer than {_limits.MaxStringLength} UTF-16 code units.");

    private static Failure StringFailure(UnescapeStatus status, string what) => status switch
    {
        UnescapeStatus.LoneSurrogate => new(CanonicalizationErrorKind.LoneSurrogate, $"The {what} contains an unpaired surrogate escape (I-JSON, RFC 7493 §2.1)."),
        UnescapeStatus.InvalidUtf8 => new(CanonicalizationErrorKind.InvalidJson, $"The {what} is not valid UTF-8 (RFC 8259 §8.1)."),
        _ => new(CanonicalizationErrorKind.InvalidJson, $"The {what} contains an invalid escape (RFC 8259 §7)."),
    };

    private readonly record struct Member(int NameStart, int NameLength, JsonElement Value) : INamedMember;
}

/// <summary>An error on its way up the tree; each level adds its segment, so the path costs nothing unless there is an error.</summary>
internal sealed class Failure(CanonicalizationErrorKind kind, string message)
{
    private readonly List<string> _reversedSegments = [];

    public Failure Under(string segment)
    {
        _reversedSegments.Add(segment);
        return this;
    }

    public CanonicalizationError ToError() => new(kind, message, JsonPointer.Format(_reversedSegments, reversed: true));
}

/// <summary>RFC 6901 JSON Pointer rendering.</summary>
internal static class JsonPointer
{
    public static string Format(IReadOnlyList<string> segments, bool reversed)
    {
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[reversed ? segments.Count - 1 - i : i];
            // RFC 6901 §3: '~' and '/' are escaped, '~' first.
            builder.Append('/').Append(segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));
        }

        return builder.ToString();
    }
}
