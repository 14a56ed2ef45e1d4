using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>
/// Reads the text of a PDF the way a PDF viewer's copy does, with PdfPig (a parser independent of PDFsharp, which
/// writes it): each glyph's Unicode value comes from the font's ToUnicode map, so a character that maps wrongly reads
/// wrongly here. Lines are the glyphs that share a baseline, left to right; a horizontal gap wider than a space
/// between two runs reads as one space.
/// </summary>
internal static class PdfText
{
    /// <summary>Every line of every page, in order.</summary>
    public static IReadOnlyList<string> Read(byte[] pdf) => [.. Pages(pdf).SelectMany(page => page)];

    /// <summary>The lines of each page.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Pages(byte[] pdf)
    {
        Assert.StartsWith("%PDF-1.", Encoding.ASCII.GetString(pdf, 0, 7), StringComparison.Ordinal);
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(Lines)];
    }

    private static IReadOnlyList<string> Lines(Page page) =>
    [
        .. page.Letters
            .GroupBy(letter => Math.Round(letter.StartBaseLine.Y, 1))
            .OrderByDescending(line => line.Key)
            .Select(line => Join([.. line.OrderBy(letter => letter.StartBaseLine.X)])),
    ];

    private static string Join(IReadOnlyList<Letter> letters)
    {
        var text = new StringBuilder();
        Letter? previous = null;
        foreach (var letter in letters)
        {
            if (previous is not null && letter.StartBaseLine.X - previous.EndBaseLine.X > previous.PointSize / 3
                && previous.Value != " " && letter.Value != " ")
            {
                text.Append(' ');
            }

            text.Append(letter.Value);
            previous = letter;
        }

        return text.ToString();
    }
}
