using System.Text.Json;
using Traces.LocalServer.Api;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification.Bundles;

namespace Traces.LocalServer.Tests;

/// <summary>
/// The proof PDF (docs/api.md, <c>GET /v1/traces/{id}/proof/pdf</c>) rendered from a bundle and read back with PdfPig:
/// what a person sees and what a viewer's copy-and-paste gives are the same text, in any script the fonts cover.
/// </summary>
public sealed class ProofPdfTests
{
    private const string TraceId = "tr_01KQ5X8E3D2A4B6C8D0E2F4G6H";
    private const string Composite = "sha256:4f1c0a9e3b2d5c7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e";
    private const string CheckedAt = "2026-12-02T14:00:00.000000Z";

    private static readonly string Signature = "ed25519:" + string.Concat(Enumerable.Repeat("0123456789abcdef", 8));

    private static BundleEntry Entry(int index, string eventType = "invoice.received", string payload = """{"amount":5000}""") => new()
    {
        Index = index,
        EventId = $"ev_{index:D4}",
        EventType = eventType,
        Payload = JsonElement.Parse(payload),
        PayloadHash = "sha256:" + new string('a', 64),
        ContentHash = $"sha256:{index:D4}" + new string('c', 60),
        PreviousChainHash = "sha256:" + new string('0', 64),
        ChainHash = $"sha256:{index:D4}" + new string('d', 60),
        IngestedAt = "2026-12-02T13:00:00.000001Z",
        KeyId = "sha256:" + new string('e', 64),
        Signature = Signature,
    };

    private static ProofBundle Bundle(string label, params BundleEntry[] entries) => new()
    {
        Version = "traces/v1",
        TraceId = TraceId,
        Label = label,
        Status = "sealed",
        CreatedAt = "2026-12-02T12:59:59.000000Z",
        SealedAt = "2026-12-02T13:00:01.000000Z",
        CompositeHash = Composite,
        IntegrityRootHash = "sha256:" + new string('f', 64),
        EventCount = entries.Length,
        Events = entries,
        SealEvent = new SealEvent { EventId = "ev_seal", ContentHash = "sha256:" + new string('5', 64), KeyId = "sha256:" + new string('e', 64), Signature = "ed25519:seal" },
        Certificate = new TraceCertificate { Algorithm = "RSASSA-PSS-SHA256", Signature = "rsa-signature" },
    };

    private static VerifyResponse Result(string verdict = "valid", params Discrepancy[] findings) => new(
        TraceId, verdict == "valid", verdict, findings.Length == 0, true, findings.Length == 0, 2, findings, null, CheckedAt);

    [Fact]
    public void Render_PrintsTraceEntriesSealResultAndOfflineSteps_AsExtractableText()
    {
        var pdf = ProofPdf.Render(Bundle("Vendor onboarding", Entry(0), Entry(1, "payment.authorized")),
            Result("invalid", new Discrepancy("chain_broken", "The chain hash of entry 1 does not follow entry 0.", 1, "ev_0001")));

        var lines = PdfText.Read(pdf);

        Assert.Equal(
        [
            "Trace proof",
            $"trace id {TraceId}",
            "label Vendor onboarding",
            "status sealed",
            "created at 2026-12-02T12:59:59.000000Z",
            "sealed at 2026-12-02T13:00:01.000000Z",
            "entries 2",
            $"composite hash {Composite}",
            "integrity root sha256:" + new string('f', 64),
            "format traces/v1",
            "Verification result (this server's own check)",
            "verdict invalid",
            "chain valid no",
            "signatures valid yes",
            "composite valid no",
            $"checked at {CheckedAt}",
            "finding chain_broken (entry 1): The chain hash of entry 1 does not follow entry 0.",
            "Entries",
            "#0  invoice.received  ev_0000",
            "ingested at 2026-12-02T13:00:00.000001Z",
            """payload {"amount":5000}""",
            "payload hash sha256:" + new string('a', 64),
            "content hash sha256:0000" + new string('c', 60),
            "chain hash sha256:0000" + new string('d', 60),
            "key id sha256:" + new string('e', 64),
            "signature " + Signature[..87],
            Signature[87..],
        ], lines.Take(27));
        Assert.Contains("#1  payment.authorized  ev_0001", lines);
        Assert.Contains("content hash sha256:0001" + new string('c', 60), lines);
        Assert.Equal(
        [
            "Seal",
            "seal event ev_seal",
            "content hash sha256:" + new string('5', 64),
            "key id sha256:" + new string('e', 64),
            "signature ed25519:seal",
            "certificate alg RSASSA-PSS-SHA256",
            "certificate sig rsa-signature",
            "How to verify this trace offline",
            "This PDF is a readable copy; the proof is the JSON bundle. Do not trust the result above:",
            "it is only as trustworthy as the server that printed it. Instead:",
            $"1. Download the bundle: GET /v1/traces/{TraceId}/proof > proof.json",
            "2. Obtain the signer's public keys out of band (not from this server), e.g. keys.json",
            "3. Run: traces verify proof.json --trust keys.json",
            "The verdict is Valid only if every hash, chain link, Merkle root and signature checks out",
            "under keys you pinned yourself (docs/verification.md, docs/proof-format.md).",
            "Characters the embedded fonts cannot show are printed as [U+XXXX] (their Unicode code point).",
            "page 1 of 1",
        ], lines.TakeLast(17));
    }

    [Fact]
    public void Render_LatinGreekCyrillicAndPunctuation_ReadBackAsTheyWereWritten()
    {
        var pdf = ProofPdf.Render(
            Bundle("Prüfung — Ελλάδα · Проверка “quoted” ‘ok’ …", Entry(0, "payment.confirmed", """{"note":"Grüße — Ελλάδα","city":"Москва"}""")),
            Result());

        var lines = PdfText.Read(pdf);

        Assert.Contains("label Prüfung — Ελλάδα · Проверка “quoted” ‘ok’ …", lines);
        Assert.Contains("#0  payment.confirmed  ev_0000", lines);
        Assert.Contains("""payload {"note":"Grüße — Ελλάδα","city":"Москва"}""", lines);
        Assert.DoesNotContain(lines, line => line.Contains('?', StringComparison.Ordinal));
    }

    [Fact]
    public void Render_CharactersNeitherFontHasAndControlCharacters_ArePrintedAsTheirCodePoints()
    {
        var pdf = ProofPdf.Render(Bundle("Prüfung — 検査\t😀"), Result());

        Assert.Contains("label Prüfung — [U+691C][U+67FB][U+0009][U+1F600]", PdfText.Read(pdf));
    }

    [Fact]
    public void Render_ALongValue_WrapsUnderItself_AndReadsBackWhole()
    {
        var signature = string.Concat(Enumerable.Range(0, 200).Select(i => (char)('A' + (i % 26))));
        var bundle = Bundle("wrap", Entry(0));
        bundle = new ProofBundle
        {
            Version = bundle.Version,
            TraceId = bundle.TraceId,
            EventCount = 1,
            Events = bundle.Events,
            Certificate = new TraceCertificate { Algorithm = "RSASSA-PSS-SHA256", Signature = signature },
        };

        var lines = PdfText.Read(ProofPdf.Render(bundle, Result()));

        var at = lines.ToList().FindIndex(line => line.StartsWith("certificate sig ", StringComparison.Ordinal));
        Assert.Equal("certificate sig " + signature[..87], lines[at]);
        Assert.Equal(signature[87..174], lines[at + 1]);
        Assert.Equal(signature[174..], lines[at + 2]);
    }

    [Fact]
    public void Render_APayloadOver2000Characters_IsCut_AndSaysHowMuchIsLeftOut()
    {
        var payload = $$"""{"text":"{{new string('x', 2500)}}"}""";
        var lines = PdfText.Read(ProofPdf.Render(Bundle("long", Entry(0, payload: payload)), Result()));

        var start = lines.ToList().FindIndex(line => line.StartsWith("payload {", StringComparison.Ordinal));
        var end = lines.ToList().FindIndex(start, line => line.StartsWith("payload hash ", StringComparison.Ordinal));
        var printed = "payload " + string.Concat(lines.Skip(start).Take(end - start)).Replace(" ", "", StringComparison.Ordinal)["payload".Length..];
        Assert.Equal("payload " + payload[..2000] + "…(511morecharacters:seetheJSONbundle)", printed);
    }

    [Fact]
    public void Render_ATraceOfManyEntries_RunsOverNumberedPages_WithEveryEntry()
    {
        var entries = Enumerable.Range(0, 120).Select(i => Entry(i)).ToArray();

        var pages = PdfText.Pages(ProofPdf.Render(Bundle("many", entries), Result()));

        Assert.Equal(17, pages.Count);
        for (var p = 0; p < pages.Count; p++)
        {
            Assert.Equal($"page {p + 1} of {pages.Count}", pages[p][^1]);
        }

        var all = pages.SelectMany(page => page).ToList();
        for (var i = 0; i < entries.Length; i++)
        {
            Assert.Contains($"#{i}  invoice.received  ev_{i:D4}", all);
        }
    }
}
