using System.Globalization;

namespace Traces.Verification.Canonicalization;

/// <summary>
/// Serializes an IEEE 754 binary64 value as ECMAScript <c>Number.prototype.toString</c> does
/// (ECMA-262 Number::toString), which RFC 8785 §3.2.2.3 adopts for JSON numbers.
/// </summary>
internal static class EcmaScriptNumber
{
    /// <summary>Enough for the longest output, e.g. <c>-0.0000033333333333333333</c> (25) or <c>-1.7976931348623157e+308</c> (24).</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// RFC 7493 §2.2: whether a JSON integer literal (no fraction, no exponent; JSON forbids leading zeros, so the digit
    /// count is the magnitude's order) is within ±(2^53−1), where binary64 holds it exactly and it prints as its own
    /// digits (ECMA-262 Number::toString step 6).
    /// </summary>
    public static bool IsSafeIntegerLiteral(ReadOnlySpan<byte> token)
    {
        var magnitude = token[0] == (byte)'-' ? token[1..] : token;
        return magnitude.Length < 16 || (magnitude.Length == 16 && magnitude.SequenceCompareTo("9007199254740991"u8) <= 0);
    }

    /// <summary>Formats a finite <paramref name="value"/>; returns the number of bytes written to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite (RFC 8785 forbids them).</exception>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "RFC 8785 §3.2.2.3: NaN and Infinity have no JSON form.");
        }

        // ECMA-262 Number::toString step 2: both +0 and -0 print as "0".
        if (value == 0)
        {
            destination[0] = (byte)'0';
            return 1;
        }

        // .NET Core 3.0+ "R" yields the shortest digit string that round-trips (the same digits ECMA-262 step 5 asks for,
        // since both pick the digits closest to the value); only the layout differs, so re-lay them out below.
        Span<byte> shortest = stackalloc byte[MaxLength];
        if (!value.TryFormat(shortest, out var length, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Unreachable: a double's round-trip form fits in 32 bytes.");
        }

        shortest = shortest[..length];
        var pos = 0;
        var negative = shortest[0] == (byte)'-';
        if (negative)
        {
            pos++;
        }

        // Collect significant digits s and decimal exponent n so that value = 0.s × 10^n (ECMA-262's k and n).
        Span<byte> digits = stackalloc byte[MaxLength];
        var k = 0;
        var integerDigits = 0;
        var seenPoint = false;
        for (; pos < shortest.Length && shortest[pos] != (byte)'E'; pos++)
        {
            var c = shortest[pos];
            if (c == (byte)'.')
            {
                seenPoint = true;
                continue;
            }

            if (!seenPoint)
            {
                integerDigits++;
            }

            digits[k++] = c;
        }

        var exponent = 0;
        if (pos < shortest.Length)
        {
            exponent = int.Parse(shortest[(pos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var n = integerDigits + exponent;
        var lead = 0;
        while (digits[lead] == (byte)'0')
        {
            lead++;
            n--;
        }

        while (digits[k - 1] == (byte)'0')
        {
            k--;
        }

        return Layout(negative, digits[lead..k], n, destination);
    }

    /// <summary>Formats to a string; for tests and diagnostics.</summary>
    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[MaxLength];
        var written = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..written]);
    }

    // ECMA-262 Number::toString steps 6-10, with k = digits.Length.
    private static int Layout(bool negative, ReadOnlySpan<byte> digits, int n, Span<byte> destination)
    {
        var k = digits.Length;
        var w = 0;
        if (negative)
        {
            destination[w++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            // Step 6: integer, padded with zeros.
            digits.CopyTo(destination[w..]);
            w += k;
            destination.Slice(w, n - k).Fill((byte)'0');
            return w + n - k;
        }

        if (0 < n && n <= 21)
        {
            // Step 7: decimal point inside the digits.
            digits[..n].CopyTo(destination[w..]);
            w += n;
            destination[w++] = (byte)'.';
            digits[n..].CopyTo(destination[w..]);
            return w + k - n;
        }

        if (-6 < n && n <= 0)
        {
            // Step 8: "0." then -n zeros.
            destination[w++] = (byte)'0';
            destination[w++] = (byte)'.';
            destination.Slice(w, -n).Fill((byte)'0');
            w += -n;
            digits.CopyTo(destination[w..]);
            return w + k;
        }

        // Steps 9-10: exponential form, always with an explicit exponent sign.
        destination[w++] = digits[0];
        if (k > 1)
        {
            destination[w++] = (byte)'.';
            digits[1..].CopyTo(destination[w..]);
            w += k - 1;
        }

        destination[w++] = (byte)'e';
        var e = n - 1;
        destination[w++] = e < 0 ? (byte)'-' : (byte)'+';
        if (!Math.Abs(e).TryFormat(destination[w..], out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Unreachable: exponent fits.");
        }

        return w + written;
    }
}
