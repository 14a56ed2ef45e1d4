using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using Traces.LocalServer.Api;
using Traces.Verification.Bundles;

namespace Traces.LocalServer.Proofs;

/// <summary>
/// <c>GET /v1/traces/{id}/proof/pdf</c> (docs/api.md): the proof of a sealed trace as a PDF a person can read — the
/// trace, every entry with its payload, hashes and signature, the seal, the server's verification result, and how to
/// verify the JSON bundle offline. The PDF is for reading; it proves nothing by itself (the bundle does).
/// </summary>
/// <remarks>
/// Written with PDFsharp 6.2.4 (MIT; later versions name the AGPL). It declares itself trimmable and AOT-compatible,
/// and the Native AOT publish of the CLI, which hosts this server in <c>traces serve</c>, reports no trim or AOT warning
/// with it; the AOT binary serves this PDF (docs/local-server.md, Native AOT). The text is Unicode: two DejaVu
/// typefaces are embedded in this assembly (Proofs/Fonts/SOURCE.md) and PDFsharp embeds the subset of glyphs used as
/// CIDFontType2 with a ToUnicode map, so the text can be searched and copied. The fonts are handed to PDFsharp as glyph
/// typefaces, not through its process-wide font resolver, which this server never sets; but PDFsharp refuses a resolver
/// once any font is loaded, so an application that hosts this server and sets one must do so before the first proof
/// PDF (docs/local-server.md). A character neither font has (Chinese, Japanese, Korean, Thai, the Indic scripts),
/// any character beyond U+FFFF (emoji) and any control character is printed as <c>[U+XXXX]</c>, its code point, never
/// dropped or turned into <c>?</c>. No bidirectional layout or shaping: Hebrew and Arabic run left to right in stored
/// order, Arabic letters unjoined. Not byte-for-byte deterministic: PDFsharp gives every document random subset-font
/// tags and XMP ids (and the time of the check is printed anyway).
/// </remarks>
internal static class ProofPdf
{
    private const double PageWidth = 595; // A4 in points (ISO 32000-1 §8.3.2.3: 1/72 inch)
    private const double PageHeight = 842;
    private const double Margin = 40;
    private const double ValueX = Margin + 92;
    private const double Bottom = PageHeight - Margin - 20; // room for the page number
    private const int MaxPayloadChars = 2000;

    private static readonly Lazy<Typefaces> Faces = new(Typefaces.Load);

    private static readonly JsonWriterOptions PayloadWriting = new()
    {
        // For people: "Prüfung" as is, not "Pr\u00FCfung" (the bytes that are hashed are in the bundle, not here).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Render(ProofBundle bundle, VerifyResponse result)
    {
        var document = new PdfDocument();
        document.Info.Title = "Trace proof " + bundle.TraceId;
        document.Info.Creator = "Traces.LocalServer";
        if (DateTimeOffset.TryParse(result.VerifiedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var checkedAt))
        {
            document.Info.CreationDate = checkedAt.UtcDateTime;
        }

        using var measure = XGraphics.CreateMeasureContext(new XSize(PageWidth, PageHeight), XGraphicsUnit.Point, XPageDirection.Downwards, document.RenderEvents);
        var page = new Layout(Faces.Value, measure);

        page.Title("Trace proof");
        page.Field("trace id", bundle.TraceId);
        page.Field("label", bundle.Label);
        page.Field("status", bundle.Status);
        page.Field("created at", bundle.CreatedAt);
        page.Field("sealed at", bundle.SealedAt);
        page.Field("entries", bundle.EventCount?.ToString(CultureInfo.InvariantCulture));
        page.Field("composite hash", bundle.CompositeHash);
        page.Field("integrity root", bundle.IntegrityRootHash);
        page.Field("format", bundle.Version);

        page.Heading("Verification result (this server's own check)");
        page.Field("verdict", result.Verdict);
        page.Field("chain valid", Flag(result.ChainValid));
        page.Field("signatures valid", Flag(result.SignatureValid));
        page.Field("composite valid", Flag(result.CompositeValid));
        page.Field("checked at", result.VerifiedAt);
        foreach (var finding in result.Discrepancies)
        {
            page.Field("finding", $"{finding.Code} (entry {finding.Index?.ToString(CultureInfo.InvariantCulture) ?? "-"}): {finding.Message}");
        }

        page.Heading("Entries");
        foreach (var entry in bundle.Events ?? [])
        {
            page.Text($"#{entry.Index?.ToString(CultureInfo.InvariantCulture) ?? "?"}  {entry.EventType}  {entry.EventId}");
            page.Field("ingested at", entry.IngestedAt, indent: true);
            page.Field("payload", PayloadText(entry.Payload), indent: true);
            page.Field("payload hash", entry.PayloadHash, indent: true);
            page.Field("content hash", entry.ContentHash, indent: true);
            page.Field("chain hash", entry.ChainHash, indent: true);
            page.Field("key id", entry.KeyId, indent: true);
            page.Field("signature", entry.Signature, indent: true);
        }

        page.Heading("Seal");
        page.Field("seal event", bundle.SealEvent?.EventId);
        page.Field("content hash", bundle.SealEvent?.ContentHash);
        page.Field("key id", bundle.SealEvent?.KeyId);
        page.Field("signature", bundle.SealEvent?.Signature);
        page.Field("certificate alg", bundle.Certificate?.Algorithm);
        page.Field("certificate sig", bundle.Certificate?.Signature);

        page.Heading("How to verify this trace offline");
        page.Text("This PDF is a readable copy; the proof is the JSON bundle. Do not trust the result above:");
        page.Text("it is only as trustworthy as the server that printed it. Instead:");
        page.Code($"1. Download the bundle: GET /v1/traces/{bundle.TraceId}/proof > proof.json");
        page.Code("2. Obtain the signer's public keys out of band (not from this server), e.g. keys.json");
        page.Code("3. Run: traces verify proof.json --trust keys.json");
        page.Text("The verdict is Valid only if every hash, chain link, Merkle root and signature checks out");
        page.Text("under keys you pinned yourself (docs/verification.md, docs/proof-format.md).");
        page.Text("Characters the embedded fonts cannot show are printed as [U+XXXX] (their Unicode code point).");

        page.WriteTo(document);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static string Flag(bool value) => value ? "yes" : "no";

    /// <summary>The payload as compact JSON with its characters as they are; long payloads are cut (the bundle has all).</summary>
    private static string? PayloadText(JsonElement? payload)
    {
        if (payload is not { } value)
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, PayloadWriting))
        {
            value.WriteTo(writer);
        }

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (text.Length <= MaxPayloadChars)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[MaxPayloadChars - 1]) ? MaxPayloadChars - 1 : MaxPayloadChars; // never half a pair
        return string.Create(CultureInfo.InvariantCulture, $"{text[..cut]} … ({text.Length - cut} more characters: see the JSON bundle)");
    }

    /// <summary>The two embedded typefaces (Proofs/Fonts), loaded once per process.</summary>
    private sealed class Typefaces
    {
        public required XFont Title { get; init; }
        public required XFont Heading { get; init; }
        public required XFont Text { get; init; }
        public required XFont Mono { get; init; }
        public required XFont MonoFallback { get; init; }
        public required XFont Footer { get; init; }

        public static Typefaces Load()
        {
            // Unicode: CIDFontType2, Identity-H and a ToUnicode CMap (ISO 32000-1 §9.7.4, §9.10.3), glyphs subset.
            var options = new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);
            var sans = Face("DejaVuSans.ttf");
            var mono = Face("DejaVuSansMono.ttf");
            return new Typefaces
            {
                Title = new XFont(sans, 16, options, XStyleSimulations.BoldSimulation),
                Heading = new XFont(sans, 11, options, XStyleSimulations.BoldSimulation),
                Text = new XFont(sans, 9, options, XStyleSimulations.None),
                Mono = new XFont(mono, 8, options, XStyleSimulations.None),
                MonoFallback = new XFont(sans, 8, options, XStyleSimulations.None),
                Footer = new XFont(sans, 8, options, XStyleSimulations.None),
            };
        }

        private static XGlyphTypeface Face(string file)
        {
            using var stream = typeof(ProofPdf).Assembly.GetManifestResourceStream("Traces.LocalServer.Proofs.Fonts." + file)
                ?? throw new InvalidOperationException($"The font {file} is missing from the assembly (Proofs/Fonts).");
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return new XGlyphTypeface(XFontSource.GetOrCreateFrom(bytes));
        }
    }

    private readonly record struct Run(XFont Font, double X, string Text);

    private sealed record Line(double Gap, List<Run> Runs);

    /// <summary>Lines laid out first (wrapped to the page width), then cut into pages, so each page can say "page n of m".</summary>
    private sealed class Layout(Typefaces faces, XGraphics measure)
    {
        private readonly List<Line> _lines = [];
        private readonly Dictionary<(XFont, int), (XFont Font, string Text, double Width)> _glyphs = [];

        public void Title(string text) => Add(22, faces.Title, null, Margin, text);

        public void Heading(string text) => Add(18, faces.Heading, null, Margin, text);

        public void Text(string text) => Add(12, faces.Text, null, Margin, text);

        public void Code(string text) => Add(11, faces.Mono, faces.MonoFallback, Margin, text);

        /// <summary>A label and its value on one line; a long value wraps under itself.</summary>
        public void Field(string label, string? value, bool indent = false)
        {
            var first = _lines.Count;
            Add(11, faces.Mono, faces.MonoFallback, ValueX, value ?? "-");
            _lines[first].Runs.Insert(0, new Run(faces.Mono, indent ? Margin + 10 : Margin, label));
        }

        private void Add(double gap, XFont font, XFont? fallback, double x, string text)
        {
            var width = PageWidth - Margin - x;
            var runs = new List<Run>();
            var current = new StringBuilder();
            XFont? currentFont = null;
            double used = 0, start = x, runWidth = 0;

            void Flush()
            {
                if (current.Length > 0)
                {
                    runs.Add(new Run(currentFont!, start, current.ToString()));
                    start += runWidth;
                    runWidth = 0;
                    current.Clear();
                }
            }

            void Break()
            {
                Flush();
                _lines.Add(new Line(gap, runs));
                runs = [];
                start = x;
                used = 0;
            }

            foreach (var rune in text.EnumerateRunes())
            {
                var glyph = Glyph(rune, font, fallback);
                if (used + glyph.Width > width && used > 0)
                {
                    Break();
                }

                if (!ReferenceEquals(glyph.Font, currentFont))
                {
                    Flush();
                    currentFont = glyph.Font;
                }

                current.Append(glyph.Text);
                runWidth += glyph.Width;
                used += glyph.Width;
            }

            Break();
        }

        /// <summary>What to print for one character (cached per document): its font, its text and its width.</summary>
        private (XFont Font, string Text, double Width) Glyph(Rune rune, XFont font, XFont? fallback)
        {
            if (!_glyphs.TryGetValue((font, rune.Value), out var glyph))
            {
                var (glyphFont, glyphText) = Choose(rune, font, fallback);
                glyph = (glyphFont, glyphText, measure.MeasureString(glyphText, glyphFont).Width);
                _glyphs[(font, rune.Value)] = glyph;
            }

            return glyph;
        }

        /// <summary>The font's glyph, the fallback font's, or the character's code point.</summary>
        /// <remarks>
        /// Characters beyond U+FFFF are always printed as their code point, even where DejaVu has a glyph (some emoji):
        /// PDFsharp 6.2.4 writes them into the ToUnicode CMap as one 5-digit code (<c>&lt;1F600&gt;</c>) instead of
        /// the UTF-16BE surrogate pair ISO 32000-1 §9.10.3 requires, so a viewer would copy them wrong.
        /// </remarks>
        private static (XFont Font, string Text) Choose(Rune rune, XFont font, XFont? fallback)
        {
            if (rune.IsBmp && !Rune.IsControl(rune))
            {
                if (GlyphHelper.GlyphIndexFromCodePoint(rune.Value, font) != 0)
                {
                    return (font, rune.ToString());
                }

                if (fallback is not null && GlyphHelper.GlyphIndexFromCodePoint(rune.Value, fallback) != 0)
                {
                    return (fallback, rune.ToString());
                }
            }

            return (font, string.Create(CultureInfo.InvariantCulture, $"[U+{rune.Value:X4}]"));
        }

        public void WriteTo(PdfDocument document)
        {
            var pages = new List<List<(double Y, Line Line)>>();
            var y = Bottom;
            foreach (var line in _lines)
            {
                if (pages.Count == 0 || y + line.Gap > Bottom)
                {
                    pages.Add([]);
                    y = Margin;
                }

                y += line.Gap;
                pages[^1].Add((y, line));
            }

            for (var p = 0; p < pages.Count; p++)
            {
                var page = document.AddPage();
                page.Width = XUnit.FromPoint(PageWidth);
                page.Height = XUnit.FromPoint(PageHeight);
                using var graphics = XGraphics.FromPdfPage(page);
                foreach (var (lineY, line) in pages[p])
                {
                    foreach (var run in line.Runs)
                    {
                        graphics.DrawString(run.Text, run.Font, XBrushes.Black, run.X, lineY);
                    }
                }

                graphics.DrawString(string.Create(CultureInfo.InvariantCulture, $"page {p + 1} of {pages.Count}"), faces.Footer, XBrushes.Black, Margin, PageHeight - 30);
            }
        }
    }
}
