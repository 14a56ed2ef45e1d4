using System.Globalization;
using System.Text;
using Traces.LocalServer.Api;
using Traces.Verification.Bundles;

namespace Traces.Benchmarks.Baselines;

/// <summary>
/// ProofPdfBench's baseline: the proof PDF writer the server had before PDFsharp (PDF 1.4 written by hand, the standard
/// Type 1 fonts, printable ASCII only, every other character as '?'), kept verbatim apart from its name and namespace.
/// </summary>
internal static class AsciiProofPdf
{
    private const int LinesPerPage = 62;
    private const int MaxLineChars = 100;

    private enum Style
    {
        Title,
        Heading,
        Text,
        Mono,
    }

    public static byte[] Render(ProofBundle bundle, VerifyResponse result)
    {
        var lines = new List<(Style, string)>();
        void Add(Style style, string text) => lines.Add((style, text));
        void Mono(string label, string? value)
        {
            var text = value ?? "-";
            var first = true;
            for (var i = 0; i < Math.Max(1, text.Length); i += MaxLineChars - 18)
            {
                var part = text.Substring(i, Math.Min(MaxLineChars - 18, text.Length - i));
                Add(Style.Mono, (first ? label.PadRight(18) : new string(' ', 18)) + part);
                first = false;
            }
        }

        Add(Style.Title, "Trace proof");
        Mono("trace id", bundle.TraceId);
        Mono("label", bundle.Label);
        Mono("status", bundle.Status);
        Mono("created at", bundle.CreatedAt);
        Mono("sealed at", bundle.SealedAt);
        Mono("entries", bundle.EventCount?.ToString(CultureInfo.InvariantCulture));
        Mono("composite hash", bundle.CompositeHash);
        Mono("integrity root", bundle.IntegrityRootHash);
        Mono("format", bundle.Version);

        Add(Style.Heading, "Verification result (this server's own check)");
        Mono("verdict", result.Verdict);
        Mono("chain valid", Flag(result.ChainValid));
        Mono("signatures valid", Flag(result.SignatureValid));
        Mono("composite valid", Flag(result.CompositeValid));
        Mono("checked at", result.VerifiedAt);
        foreach (var finding in result.Discrepancies)
        {
            Mono("finding", $"{finding.Code} (entry {finding.Index?.ToString(CultureInfo.InvariantCulture) ?? "-"}): {finding.Message}");
        }

        Add(Style.Heading, "Entries");
        foreach (var entry in bundle.Events ?? [])
        {
            Add(Style.Text, $"#{entry.Index?.ToString(CultureInfo.InvariantCulture) ?? "?"}  {entry.EventType}  {entry.EventId}");
            Mono("  ingested at", entry.IngestedAt);
            Mono("  payload hash", entry.PayloadHash);
            Mono("  content hash", entry.ContentHash);
            Mono("  chain hash", entry.ChainHash);
            Mono("  key id", entry.KeyId);
            Mono("  signature", entry.Signature);
        }

        Add(Style.Heading, "Seal");
        Mono("seal event", bundle.SealEvent?.EventId);
        Mono("content hash", bundle.SealEvent?.ContentHash);
        Mono("key id", bundle.SealEvent?.KeyId);
        Mono("signature", bundle.SealEvent?.Signature);
        Mono("certificate alg", bundle.Certificate?.Algorithm);
        Mono("certificate sig", bundle.Certificate?.Signature);

        Add(Style.Heading, "How to verify this trace offline");
        Add(Style.Text, "This PDF is a readable copy; the proof is the JSON bundle. Do not trust the result above:");
        Add(Style.Text, "it is only as trustworthy as the server that printed it. Instead:");
        Add(Style.Mono, $"1. Download the bundle: GET /v1/traces/{bundle.TraceId}/proof > proof.json");
        Add(Style.Mono, "2. Obtain the signer's public keys out of band (not from this server), e.g. keys.json");
        Add(Style.Mono, "3. Run: traces verify proof.json --trust keys.json");
        Add(Style.Text, "The verdict is Valid only if every hash, chain link, Merkle root and signature checks out");
        Add(Style.Text, "under keys you pinned yourself (docs/verification.md, docs/proof-format.md).");
        return Write(lines, bundle.TraceId ?? "");
    }

    private static string Flag(bool value) => value ? "yes" : "no";

    private static byte[] Write(List<(Style Style, string Text)> lines, string title)
    {
        var pages = lines.Chunk(LinesPerPage).ToList();
        var objects = new List<string>();

        // 1 catalog, 2 pages, 3 Helvetica, 4 Helvetica-Bold, 5 Courier, 6 info; then per page: page, contents.
        var kids = string.Join(" ", pages.Select((_, i) => $"{7 + (2 * i)} 0 R"));
        objects.Add("<< /Type /Catalog /Pages 2 0 R >>");
        objects.Add($"<< /Type /Pages /Kids [{kids}] /Count {pages.Count} >>");
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
        objects.Add($"<< /Title ({Escape("Trace proof " + title)}) /Producer (Traces.LocalServer) >>");
        for (var p = 0; p < pages.Count; p++)
        {
            var content = new StringBuilder();
            var y = 800;
            foreach (var (style, text) in pages[p])
            {
                var (font, size, gap) = style switch
                {
                    Style.Title => ("F2", 16, 22),
                    Style.Heading => ("F2", 11, 18),
                    Style.Mono => ("F3", 8, 11),
                    _ => ("F1", 9, 12),
                };
                y -= gap;
                content.Append(CultureInfo.InvariantCulture, $"BT /{font} {size} Tf 40 {y} Td ({Escape(text)}) Tj ET\n");
            }

            content.Append(CultureInfo.InvariantCulture, $"BT /F1 8 Tf 40 30 Td ({Escape($"page {p + 1} of {pages.Count}")}) Tj ET\n");
            var stream = content.ToString();
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents {8 + (2 * p)} 0 R >>");
            objects.Add($"<< /Length {stream.Length} >>\nstream\n{stream}endstream");
        }

        // Every character written is ASCII, so string length is byte length and the xref offsets are exact.
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Count; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    /// <summary>A PDF literal string body (ISO 32000-1 §7.3.4.2): backslash, parentheses escaped; non-ASCII as '?'.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\' or '(' or ')':
                    escaped.Append('\\').Append(c);
                    break;
                case >= ' ' and <= '~':
                    escaped.Append(c);
                    break;
                default:
                    escaped.Append('?');
                    break;
            }
        }

        return escaped.ToString();
    }
}
