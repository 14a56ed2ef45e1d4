using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Traces.TestSupport;
using Traces.TestSupport.Fuzzing;
using Traces.Verification;
using Traces.Verification.Bundles;

namespace Traces.Benchmarks;

/// <summary>
/// The issue 9 figures: <c>--fuzz</c> (the verifier fuzzer with a larger budget than the CI test) and
/// <c>--one-byte-reads</c> (wall-clock time of a valid bundle with 100 KB, 400 KB and 900 KB of whitespace inside one
/// entry, streamed one byte per read, against the in-memory path).
/// </summary>
internal static class HostileModes
{
    public static int Fuzz(int inputs, int seed)
    {
        Console.WriteLine($"# verifier fuzz: {inputs:N0} inputs, seed {seed}, {Environment.ProcessorCount} cores");
        // The live-worker count is internal to the verifier; the test suite reads it directly, this run by reflection.
        var running = typeof(BundleVerifier).Assembly.GetType("Traces.Verification.Pipeline.SignatureWorkers")!
            .GetProperty("Running", BindingFlags.NonPublic | BindingFlags.Static)!;
        try
        {
            var statistics = VerifierFuzzer.Run(new FuzzOptions(inputs, seed, () => (int)running.GetValue(null)!), Console.WriteLine);
            Console.WriteLine("# no violation: " + statistics);
            return 0;
        }
        catch (FuzzViolationException violation)
        {
            Console.WriteLine("# VIOLATION\n" + violation.Message);
            return 1;
        }
    }

    public static int OneByteReads(int rounds)
    {
        var bundle = TestTraceSigner.Default.CreateBundle("tr_linear0001", TestTraceSigner.SampleEntries(3));
        var compact = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);
        var verifier = new BundleVerifier(TestKeys.TrustBoth());
        Console.WriteLine("| whitespace in one entry | bundle bytes | 1-byte reads (best of " + rounds + ") | in memory (best of " + rounds + ") |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var size in new[] { 100_000, 400_000, 900_000 })
        {
            var json = HostileBytes.WithWhitespaceInFirstEntry(compact, size);
            var streamed = Best(rounds, () => verifier.VerifyAsync(new ChunkedStream(json, seed: size, maxChunk: 1)).GetAwaiter().GetResult());
            var inMemory = Best(rounds, () => verifier.Verify(json));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size / 1000} KB | {json.Length:N0} | {streamed.TotalMilliseconds:F0} ms | {inMemory.TotalMilliseconds:F1} ms |"));
        }

        return 0;
    }

    private static TimeSpan Best(int rounds, Func<Traces.Verification.Reports.VerificationReport> verify)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < Math.Max(1, rounds); i++)
        {
            var clock = Stopwatch.StartNew();
            var report = verify();
            clock.Stop();
            if (!report.IsValid)
            {
                throw new InvalidOperationException("The bundle did not verify: " + string.Join("; ", report.Findings));
            }

            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        return best;
    }
}
