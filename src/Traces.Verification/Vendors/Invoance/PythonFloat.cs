using System.Globalization;
using System.Text;

namespace Traces.Verification.Vendors.Invoance;

/// <summary>
/// Python's <c>repr(float)</c>, which <c>json.dumps</c> writes for a non-integer JSON number: the shortest digits that
/// round-trip, in fixed notation when the decimal exponent is in [-4, 16), otherwise <c>d.ddde±XX</c>; a fixed number
/// always has a fractional part (<c>1.0</c>). CPython Python/pystrtod.c <c>format_float_short</c>, mode 'r'.
/// </summary>
internal static class PythonFloat
{
    /// <summary>The repr of a finite double; false for infinities and NaN (which JSON cannot hold).</summary>
    public static bool TryFormat(double value, out string text)
    {
        text = "";
        if (!double.IsFinite(value))
        {
            return false;
        }

        var negative = double.IsNegative(value);
        if (value == 0)
        {
            text = negative ? "-0.0" : "0.0";
            return true;
        }

        // .NET's "R" is the shortest round-trip digit string (as Python's dtoa mode 0); only the layout differs.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, decimalPoint) = Decompose(roundTrip);

        var result = new StringBuilder(32);
        if (negative)
        {
            result.Append('-');
        }

        if (decimalPoint <= -4 || decimalPoint > 16)
        {
            result.Append(digits[0]);
            if (digits.Length > 1)
            {
                result.Append('.').Append(digits, 1, digits.Length - 1);
            }

            var exponent = decimalPoint - 1;
            result.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (decimalPoint <= 0)
        {
            result.Append("0.").Append('0', -decimalPoint).Append(digits);
        }
        else if (decimalPoint >= digits.Length)
        {
            result.Append(digits).Append('0', decimalPoint - digits.Length).Append(".0");
        }
        else
        {
            result.Append(digits, 0, decimalPoint).Append('.').Append(digits, decimalPoint, digits.Length - decimalPoint);
        }

        text = result.ToString();
        return true;
    }

    /// <summary>Significant digits d1d2… and the decimal point position p, so that the value is 0.d1d2… × 10^p.</summary>
    private static (string Digits, int DecimalPoint) Decompose(string roundTrip)
    {
        var mantissa = roundTrip;
        var exponent = 0;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = roundTrip[..e];
            exponent = int.Parse(roundTrip.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? "" : mantissa[(point + 1)..];
        var all = integerPart + fraction;
        var decimalPoint = integerPart.Length + exponent;
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }

        var digits = all[leading..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, decimalPoint - leading);
    }
}
