using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Traces.Verification.Canonicalization;

/// <summary>
/// RFC 8785 straight off a <see cref="Utf8JsonReader"/>, without building a <see cref="JsonDocument"/>: members are
/// written as they are read, and an object whose members were not in order is rewritten in order at its end (in
/// canonical input, the usual case, nothing is moved). It applies the checks of <see cref="CanonicalWriter"/> token for
/// token, with the same helpers (<see cref="JsonString"/>, <see cref="EcmaScriptNumber"/>), so what it writes is what
/// the reference writes.
/// </summary>
/// <remarks>
/// It only ever <em>accepts</em>: any input the reference would reject, or that it cannot settle (a duplicate name, a
/// lone surrogate, invalid UTF-8, an unsafe or non-finite number, a limit, broken or incomplete JSON), makes it return
/// false without a result, and the caller canonicalizes the value the reference way, which gives the error with its
/// kind, message and path. One instance per thread of use; the buffers are reused.
/// </remarks>
internal sealed class StreamingCanonicalizer : IBufferWriter<byte>
{
    private const int MaxKeptBuffer = 1024 * 1024;

    private byte[] _output = new byte[1024];
    private int _length;

    // Decoded names of every open object, stacked: an object's names live in [its base, _nameTop).
    private char[] _names = new char[256];
    private int _nameTop;

    // Members of every open object, stacked the same way.
    private Member[] _members = new Member[32];
    private int _memberTop;

    private char[] _chars = new char[256];
    private byte[] _reorder = new byte[1024];

    private CanonicalizationLimits _limits = CanonicalizationLimits.Default;

    /// <summary>The canonical bytes of the last successful <c>TryWrite</c>, until <see cref="Release"/>.</summary>
    public ReadOnlySpan<byte> Written => _output.AsSpan(0, _length);

    /// <summary>
    /// Canonicalizes the value whose first token the reader is on; true with <see cref="Written"/> set and the reader
    /// on the value's last token (as after <see cref="Utf8JsonReader.TrySkip"/>). False when the reference must decide:
    /// the reader is then anywhere, and the caller restores its own copy of it.
    /// </summary>
    public bool TryWrite(ref Utf8JsonReader reader, CanonicalizationLimits limits)
    {
        _length = 0;
        _nameTop = 0;
        _memberTop = 0;
        _limits = limits;
        if (reader.HasValueSequence)
        {
            return false;
        }

        var start = reader.TokenStartIndex;
        bool written;
        try
        {
            written = WriteValue(ref reader, 0);
        }
        catch (JsonException)
        {
            written = false;
        }

        // The reference's size limit is on the value's raw text (CanonicalWriter.Write).
        written = written && reader.BytesConsumed - start <= limits.MaxInputBytes;
        if (!written)
        {
            _length = 0;
        }

        Shrink();
        return written;
    }

    /// <summary>Canonicalizes a whole JSON text (one value, whitespace around it allowed).</summary>
    public bool TryWrite(ReadOnlySpan<byte> utf8Json, CanonicalizationLimits limits)
    {
        _length = 0;
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            // A byte-order mark is not JSON (proof-format §2.2 rule 1); the reference says so.
            return false;
        }

        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            MaxDepth = limits.MaxDepth >= int.MaxValue - 1 ? int.MaxValue : limits.MaxDepth + 1,
        });
        try
        {
            // Nothing may follow the value (RFC 8259 §2); the reader throws on anything but whitespace.
            return reader.Read() && TryWrite(ref reader, limits) && !reader.Read();
        }
        catch (JsonException)
        {
            _length = 0;
            return false;
        }
    }

    private bool WriteValue(ref Utf8JsonReader reader, int depth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return Deeper(depth) && WriteObject(ref reader, depth + 1);
            case JsonTokenType.StartArray:
                return Deeper(depth) && WriteArray(ref reader, depth + 1);
            case JsonTokenType.String:
                return WriteString(reader.ValueSpan);
            case JsonTokenType.Number:
                return WriteNumber(reader.ValueSpan);
            case JsonTokenType.True:
                Append("true"u8);
                return true;
            case JsonTokenType.False:
                Append("false"u8);
                return true;
            case JsonTokenType.Null:
                Append("null"u8);
                return true;
            default:
                return false;
        }
    }

    // CanonicalWriter.CheckDepth: the container at depth + 1 must be within the limit, and the stack must have room.
    private bool Deeper(int depth) => depth + 1 <= _limits.MaxDepth && RuntimeHelpers.TryEnsureSufficientExecutionStack();

    private bool WriteArray(ref Utf8JsonReader reader, int depth)
    {
        AppendByte((byte)'[');
        var first = true;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            if (!first)
            {
                AppendByte((byte)',');
            }

            first = false;
            if (!WriteValue(ref reader, depth))
            {
                return false;
            }
        }

        AppendByte((byte)']');
        return true;
    }

    private bool WriteObject(ref Utf8JsonReader reader, int depth)
    {
        AppendByte((byte)'{');
        var body = _length;
        var memberBase = _memberTop;
        var nameBase = _nameTop;
        var inOrder = true;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            // RFC 8785 §3.2.3 sorts names as UTF-16 code units, after unescaping; RFC 7493 §2.3 wants them unique.
            var raw = reader.ValueSpan;
            EnsureNames(raw.Length);
            if (!DecodeName(raw, reader.ValueIsEscaped, _names.AsSpan(_nameTop), out var nameLength) || nameLength > _limits.MaxStringLength)
            {
                return false;
            }

            var name = _names.AsSpan(_nameTop, nameLength);
            if (_memberTop > memberBase)
            {
                var previous = _members[_memberTop - 1];
                var order = _names.AsSpan(previous.NameStart, previous.NameLength).SequenceCompareTo(name);
                if (order == 0)
                {
                    return false;
                }

                inOrder &= order < 0;
                AppendByte((byte)',');
            }

            var start = _length;
            if (!reader.ValueIsEscaped && JsonString.IsVerbatim(raw))
            {
                // Valid UTF-8 (Unescape checked it) without escapes or controls is its own canonical form.
                AppendByte((byte)'"');
                Append(raw);
                AppendByte((byte)'"');
            }
            else
            {
                JsonString.Write(name, this);
            }

            AppendByte((byte)':');
            var nameStart = _nameTop;
            _nameTop += nameLength;
            if (!reader.Read() || !WriteValue(ref reader, depth))
            {
                return false;
            }

            if (_memberTop == _members.Length)
            {
                Array.Resize(ref _members, _members.Length * 2);
            }

            _members[_memberTop++] = new Member(nameStart, nameLength, start, _length - start);
        }

        if (!inOrder && !Reorder(memberBase, body))
        {
            return false;
        }

        AppendByte((byte)'}');
        _memberTop = memberBase;
        _nameTop = nameBase;
        return true;
    }

    // The members of the object whose body starts at `body` were written in input order: sort them and write them again.
    private bool Reorder(int memberBase, int body)
    {
        var members = _members.AsSpan(memberBase, _memberTop - memberBase);
        MemberOrder.Sort(members, _names);
        for (var i = 1; i < members.Length; i++)
        {
            if (_names.AsSpan(members[i - 1].NameStart, members[i - 1].NameLength)
                .SequenceEqual(_names.AsSpan(members[i].NameStart, members[i].NameLength)))
            {
                return false;
            }
        }

        var size = _length - body;
        if (_reorder.Length < size)
        {
            _reorder = new byte[Math.Max(size, _reorder.Length * 2)];
        }

        _output.AsSpan(body, size).CopyTo(_reorder);
        _length = body;
        for (var i = 0; i < members.Length; i++)
        {
            if (i > 0)
            {
                AppendByte((byte)',');
            }

            Append(_reorder.AsSpan(members[i].OutputStart - body, members[i].OutputLength));
        }

        return true;
    }

    // A name as UTF-16 code units: an unescaped ASCII name widens byte for byte; anything else is unescaped and checked
    // by JsonString.Unescape, as CanonicalWriter does.
    private static bool DecodeName(ReadOnlySpan<byte> raw, bool escaped, Span<char> destination, out int length)
    {
        if (!escaped && System.Text.Ascii.ToUtf16(raw, destination, out length) == OperationStatus.Done)
        {
            return true;
        }

        return JsonString.Unescape(raw, destination, out length) == UnescapeStatus.Done;
    }

    // CanonicalWriter.WriteStringValue, token for token.
    private bool WriteString(ReadOnlySpan<byte> raw)
    {
        if (JsonString.IsVerbatim(raw))
        {
            if (!System.Text.Unicode.Utf8.IsValid(raw)
                || (raw.Length > _limits.MaxStringLength && System.Text.Encoding.UTF8.GetCharCount(raw) > _limits.MaxStringLength))
            {
                return false;
            }

            AppendByte((byte)'"');
            Append(raw);
            AppendByte((byte)'"');
            return true;
        }

        if (_chars.Length < raw.Length)
        {
            _chars = new char[Math.Max(raw.Length, _chars.Length * 2)];
        }

        if (JsonString.Unescape(raw, _chars, out var length) != UnescapeStatus.Done || length > _limits.MaxStringLength)
        {
            return false;
        }

        JsonString.Write(_chars.AsSpan(0, length), this);
        return true;
    }

    // CanonicalWriter.WriteNumber, token for token.
    private bool WriteNumber(ReadOnlySpan<byte> token)
    {
        if (token.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // RFC 7493 §2.2: integer literals within ±(2^53−1) print as their own digits (-0 as 0).
            if (!EcmaScriptNumber.IsSafeIntegerLiteral(token))
            {
                return false;
            }

            Append(token.SequenceEqual("-0"u8) ? "0"u8 : token);
            return true;
        }

        if (IsShortestPlainDecimal(token))
        {
            Append(token);
            return true;
        }

        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return false;
        }

        Advance(EcmaScriptNumber.Format(value, GetSpan(EcmaScriptNumber.MaxLength)));
        return true;
    }

    /// <summary>
    /// True when the number token is already its own ECMAScript form (RFC 8785 §3.2.2.3), so parsing it and formatting
    /// the binary64 value would give the same bytes: a plain decimal <c>-?int.frac</c> (no exponent; JSON already forbids
    /// leading zeros) whose fraction does not end in 0, with at most 15 significant digits, whose first significant digit
    /// is at most 21 places left of the point and at most 6 places right of it.
    /// </summary>
    /// <remarks>
    /// ECMA-262 Number::toString picks the fewest digits <c>s</c> (k of them) such that <c>s × 10^(n−k)</c> rounds to the
    /// value. Every decimal of at most 15 significant digits survives the trip to binary64 and back (DBL_DIG = 15 for
    /// normal numbers; these are between 10^−6 and 10^21), so two such decimals never round to the same value: the
    /// token's own digits, without trailing zeros, are that shortest <c>s</c>, and none shorter exists. For
    /// 10^−6 ≤ |x| &lt; 10^21 (−6 &lt; n ≤ 21) the layout is plain decimal notation with the point after n digits
    /// (steps 7–9), which is the token's. A shortcut only: anything else is parsed and formatted.
    /// </remarks>
    internal static bool IsShortestPlainDecimal(ReadOnlySpan<byte> token)
    {
        var digits = token[0] == (byte)'-' ? token[1..] : token;
        var point = digits.IndexOf((byte)'.');
        if (point <= 0 || point == digits.Length - 1 || digits[^1] == (byte)'0')
        {
            return false;
        }

        var integer = digits[..point];
        var fraction = digits[(point + 1)..];
        if (integer.ContainsAnyExceptInRange((byte)'0', (byte)'9') || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || (integer.Length > 1 && integer[0] == (byte)'0'))
        {
            return false;
        }

        int significant;
        if (integer[0] != (byte)'0')
        {
            // n = integer.Length (1..21); every digit from the first is significant.
            significant = integer.Length + fraction.Length;
            return integer.Length <= 21 && significant <= 15;
        }

        // 0.000ddd: n = −(leading zeros of the fraction), which must be above −6.
        var zeros = fraction.IndexOfAnyExcept((byte)'0');
        significant = fraction.Length - zeros;
        return zeros < 6 && significant <= 15;
    }

    private void EnsureNames(int extra)
    {
        if (_names.Length - _nameTop < extra)
        {
            Array.Resize(ref _names, Math.Max(_names.Length * 2, _nameTop + extra));
        }
    }

    // A huge value must not pin huge buffers for the rest of the thread's life.
    private void Shrink()
    {
        if (_output.Length > MaxKeptBuffer && _length == 0)
        {
            _output = new byte[1024];
        }

        if (_reorder.Length > MaxKeptBuffer)
        {
            _reorder = new byte[1024];
        }

        if (_chars.Length > MaxKeptBuffer)
        {
            _chars = new char[256];
        }

        if (_names.Length > MaxKeptBuffer)
        {
            _names = new char[256];
        }
    }

    /// <summary>Drops a large result once the caller has used it.</summary>
    public void Release()
    {
        _length = 0;
        Shrink();
    }

    private void AppendByte(byte value)
    {
        if (_length == _output.Length)
        {
            Grow(1);
        }

        _output[_length++] = value;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    private void Grow(int sizeHint)
    {
        var size = Math.Max(_output.Length * 2, checked(_length + Math.Max(sizeHint, 1)));
        Array.Resize(ref _output, size);
    }

    /// <inheritdoc/>
    public void Advance(int count) => _length += count;

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_output.Length - _length < Math.Max(sizeHint, 1))
        {
            Grow(sizeHint);
        }

        return _output.AsMemory(_length);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (_output.Length - _length < Math.Max(sizeHint, 1))
        {
            Grow(sizeHint);
        }

        return _output.AsSpan(_length);
    }

    private readonly record struct Member(int NameStart, int NameLength, int OutputStart, int OutputLength) : INamedMember;
}
