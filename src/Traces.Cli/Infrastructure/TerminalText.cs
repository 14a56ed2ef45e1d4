using System.Globalization;
using System.Text;

namespace Traces.Cli.Infrastructure;

/// <summary>
/// Text taken from a document (a payload, a member name, an id), made safe to print on a terminal: control and format
/// characters (escape sequences, bidirectional overrides) become U+FFFD, line breaks and tabs a space, so a hostile
/// document cannot move the cursor, recolour, retitle or reorder what the report says. JSON output needs none of this.
/// </summary>
internal static class TerminalText
{
    /// <param name="text">The text.</param>
    /// <param name="maxLength">Cut after this many characters and end with an ellipsis; null for no limit.</param>
    public static string Safe(string text, int? maxLength = null)
    {
        var builder = new StringBuilder(Math.Min(text.Length, (maxLength ?? text.Length) + 1));
        foreach (var rune in text.EnumerateRunes())
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }

            if (rune.Value is '\n' or '\r' or '\t')
            {
                builder.Append(' ');
            }
            else if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                     or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                builder.Append('\uFFFD');
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
