using System.Diagnostics.CodeAnalysis;

namespace Traces.Verification.Vendors;

/// <summary>Hex decoding for vendor documents (either case, as the vendors' SDKs accept).</summary>
internal static class Hex
{
    /// <summary>Decodes <paramref name="text"/> when it is hex of exactly <paramref name="length"/> bytes (any length when negative).</summary>
    public static bool TryDecode(string? text, int length, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text is null || text.Length % 2 != 0 || (length >= 0 && text.Length != length * 2))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        bytes = Convert.FromHexString(text);
        return true;
    }
}
