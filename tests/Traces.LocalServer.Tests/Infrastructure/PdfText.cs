using System.Text;
using System.Text.RegularExpressions;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>
/// Opens a PDF the way a reader does (ISO 32000-1 §7.5: trailer, <c>startxref</c>, the cross-reference table, each
/// object at its offset) and returns the text its pages show, line by line. Checks the structure on the way: a table
/// that does not point at its objects fails the test. Handles what the server writes: uncompressed content streams,
/// literal strings shown with <c>Tj</c>.
/// </summary>
internal static partial class PdfText
{
    public static IReadOnlyList<string> Read(byte[] pdf)
    {
        var text = Encoding.ASCII.GetString(pdf);
        Assert.StartsWith("%PDF-1.", text, StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", text, StringComparison.Ordinal);
        var startXref = int.Parse(StartXref().Match(text).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.StartsWith("xref\n", text[startXref..], StringComparison.Ordinal);
        var header = XrefHeader().Match(text, startXref);
        var count = int.Parse(header.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var objects = new Dictionary<int, string>();
        var rows = text[(header.Index + header.Length)..].Split('\n').Take(count).ToList();
        for (var number = 1; number < count; number++)
        {
            var offset = int.Parse(rows[number][..10], System.Globalization.CultureInfo.InvariantCulture);
            Assert.StartsWith($"{number} 0 obj\n", text[offset..], StringComparison.Ordinal);
            var end = text.IndexOf("\nendobj\n", offset, StringComparison.Ordinal);
            objects[number] = text[(offset + $"{number} 0 obj\n".Length)..end];
        }

        var root = int.Parse(Root().Match(text, startXref).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var pagesRef = int.Parse(PagesRef().Match(objects[root]).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var lines = new List<string>();
        foreach (Match kid in Kid().Matches(Kids().Match(objects[pagesRef]).Groups[1].Value))
        {
            var page = objects[int.Parse(kid.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)];
            var contents = objects[int.Parse(Contents().Match(page).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)];
            var length = int.Parse(Length().Match(contents).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var start = contents.IndexOf("stream\n", StringComparison.Ordinal) + "stream\n".Length;
            Assert.Equal("endstream", contents[(start + length)..]);
            foreach (Match shown in Shown().Matches(contents.Substring(start, length)))
            {
                lines.Add(Unescape().Replace(shown.Groups[1].Value, m => m.Groups[1].Value));
            }
        }

        return lines;
    }

    [GeneratedRegex(@"startxref\n(\d+)\n%%EOF\n$")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"\Gxref\n0 (\d+)\n")]
    private static partial Regex XrefHeader();

    [GeneratedRegex(@"/Root (\d+) 0 R")]
    private static partial Regex Root();

    [GeneratedRegex(@"/Pages (\d+) 0 R")]
    private static partial Regex PagesRef();

    [GeneratedRegex(@"/Kids \[([^\]]*)\]")]
    private static partial Regex Kids();

    [GeneratedRegex(@"(\d+) 0 R")]
    private static partial Regex Kid();

    [GeneratedRegex(@"/Contents (\d+) 0 R")]
    private static partial Regex Contents();

    [GeneratedRegex(@"^<< /Length (\d+) >>")]
    private static partial Regex Length();

    [GeneratedRegex(@"\(((?:\\.|[^\\)])*)\) Tj")]
    private static partial Regex Shown();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex Unescape();
}
