using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Traces.Benchmarks.Baselines;
using Traces.LocalServer.Api;
using Traces.LocalServer.Proofs;
using Traces.Verification.Bundles;

namespace Traces.Benchmarks;

/// <summary>
/// <c>--bench-pdf [--entries N] [--rounds N]</c>: the proof PDF of a sealed trace (issue 11) rendered with PDFsharp and
/// the embedded DejaVu fonts (<see cref="ProofPdf"/>) against the hand-written ASCII writer it replaced
/// (<see cref="AsciiProofPdf"/>), same bundle, same process, alternating rounds. Reports CPU time per render (this
/// thread's share is most of it; the process total is what is measured), wall time, size and pages, and the ratio.
/// The new PDF prints each entry's payload, which the baseline did not: its pages are more, not only slower.
/// </summary>
internal static class ProofPdfBench
{
    public static int Run(int entries, int rounds)
    {
        var bundle = Bundle(entries);
        var result = new VerifyResponse(bundle.TraceId!, true, "valid", true, true, true, entries, [], null, "2026-12-02T15:00:00.000000Z");

        var cold = Stopwatch.StartNew();
        var first = ProofPdf.Render(bundle, result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first PDFsharp render in this process (font load, JIT): {cold.Elapsed.TotalMilliseconds:F0} ms"));
        var baselineBytes = AsciiProofPdf.Render(bundle, result);

        var pdfsharp = new List<(double Cpu, double Wall)>();
        var ascii = new List<(double Cpu, double Wall)>();
        for (var round = 0; round < rounds; round++)
        {
            ascii.Add(Time(() => AsciiProofPdf.Render(bundle, result)));
            pdfsharp.Add(Time(() => ProofPdf.Render(bundle, result)));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{entries} entries, {rounds} rounds, load {LoadAverage.Read()}"));
        Print("ascii (baseline)", ascii, baselineBytes.Length);
        Print("pdfsharp", pdfsharp, first.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio pdfsharp/ascii: CPU {Median(pdfsharp, t => t.Cpu) / Median(ascii, t => t.Cpu):F1}x, size {(double)first.Length / baselineBytes.Length:F2}x"));
        return 0;
    }

    private static (double Cpu, double Wall) Time(Func<byte[]> render)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        _ = render();
        wall.Stop();
        process.Refresh();
        return ((process.TotalProcessorTime - cpu).TotalMilliseconds, wall.Elapsed.TotalMilliseconds);
    }

    private static void Print(string name, List<(double Cpu, double Wall)> times, int bytes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-18} CPU median {Median(times, t => t.Cpu),7:F1} ms   wall median {Median(times, t => t.Wall),7:F1} ms   {bytes,9:N0} bytes"));

    private static double Median(List<(double Cpu, double Wall)> times, Func<(double Cpu, double Wall), double> pick)
    {
        var sorted = times.Select(pick).Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// A sealed trace as the server assembles it: hashes and signatures of real length and random-looking digits (so the
    /// PDF compresses as a real one does), a small payload each.
    /// </summary>
    private static ProofBundle Bundle(int entries) => new()
    {
        Version = "traces/v1",
        TraceId = "tr_01KQ5X8E3D2A4B6C8D0E2F4G6H",
        Label = "Vendor onboarding, Acme Corp",
        Status = "sealed",
        CreatedAt = "2026-12-02T12:59:59.000000Z",
        SealedAt = "2026-12-02T13:00:01.000000Z",
        CompositeHash = Hash("composite"),
        IntegrityRootHash = Hash("root"),
        EventCount = entries,
        Events = [.. Enumerable.Range(0, entries).Select(i => new BundleEntry
        {
            Index = i,
            EventId = string.Create(CultureInfo.InvariantCulture, $"evt_{i:D6}"),
            EventType = "invoice.received",
            Payload = JsonElement.Parse(string.Create(CultureInfo.InvariantCulture, $$"""{"amount":{{5000 + i}},"invoice_number":"INV-2026-{{i:D4}}"}""")),
            PayloadHash = Hash($"payload {i}"),
            ContentHash = Hash($"content {i}"),
            ChainHash = Hash($"chain {i}"),
            IngestedAt = "2026-12-02T13:00:00.000001Z",
            KeyId = Hash("key"),
            Signature = "ed25519:" + Hex($"signature {i}") + Hex($"signature {i}'"),
        })],
        SealEvent = new SealEvent { EventId = "evt_seal", ContentHash = Hash("seal"), KeyId = Hash("key"), Signature = "ed25519:" + Hex("seal 1") + Hex("seal 2") },
        Certificate = new TraceCertificate
        {
            Algorithm = "rsa-pss-sha256",
            Signature = "rsa-pss-sha256:" + string.Concat(Enumerable.Range(0, 16).Select(i => Hex($"certificate {i}"))),
        },
    };

    private static string Hash(string seed) => "sha256:" + Hex(seed);

    private static string Hex(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

}
