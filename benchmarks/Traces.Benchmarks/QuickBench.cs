using System.Diagnostics;
using System.Globalization;
using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification;
using Traces.Verification.Hashing;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;

namespace Traces.Benchmarks;

/// <summary>
/// The figures the README cites: raw parallel Ed25519 verify rate and the verifier's entries/s in the same process
/// and run (interleaved, best of 3 after a warm-up), and the peak memory of streaming 1,000,000 vs 100,000 entries
/// (each measured in a fresh child process, so earlier phases do not pollute the peak).
/// </summary>
internal static class QuickBench
{
    public static int Run(int entries, int peak, bool skipMemory, int rounds)
    {
        var roundCount = Math.Max(1, rounds);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# traces/v1 verifier benchmark: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine($"# load average at start: {LoadAverage.Read()}");

        Console.WriteLine($"# building a {entries:N0}-entry bundle in memory ...");
        var records = BenchData.CreateRecords(entries);
        var (head, tail) = BenchData.EnvelopeFor(records, entries);
        byte[] bundle;
        using (var generated = new GeneratedBundleStream(head, tail, entries, new MemoryRecordSource(records)))
        {
            var output = new MemoryStream(entries * 900);
            generated.CopyTo(output);
            bundle = output.ToArray();
        }

        Console.WriteLine($"# bundle: {bundle.Length / 1048576.0:F1} MiB, {bundle.Length / (double)entries:F0} bytes/entry");

        // The raw baseline: the same (message, signature) pairs the bundle carries, verified with NSec directly.
        var messages = new byte[entries][];
        var signatures = new byte[entries][];
        for (var i = 0; i < entries; i++)
        {
            messages[i] = SignedMessage.Create(SignatureLabels.Event, Digest.FromBytes(records.AsSpan(i * BenchData.RecordSize + 32, 32)));
            signatures[i] = records.AsSpan(i * BenchData.RecordSize + 96, 64).ToArray();
        }

        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, TestKeys.Ed25519PublicRaw, KeyBlobFormat.RawPublicKey);
        var verifier = new BundleVerifier(TestKeys.TrustBoth());

        // Warm-up: JIT tiers, thread pool, libsodium.
        RawVerify(publicKey, messages, signatures);
        VerifyBundle(verifier, bundle, entries);

        var raw = new double[roundCount];
        var verify = new double[roundCount];
        var rawCpu = new double[roundCount];
        var verifyCpu = new double[roundCount];
        for (var r = 0; r < roundCount; r++)
        {
            GC.Collect();
            var cpu = CpuSeconds();
            raw[r] = entries / RawVerify(publicKey, messages, signatures);
            rawCpu[r] = (CpuSeconds() - cpu) * 1e6 / entries;
            GC.Collect();
            cpu = CpuSeconds();
            verify[r] = entries / VerifyBundle(verifier, bundle, entries);
            verifyCpu[r] = (CpuSeconds() - cpu) * 1e6 / entries;
            // cores used = rate x CPU per item: how much of the machine each measurement actually got.
            Console.WriteLine($"# round {r + 1}: raw {raw[r]:N0} sig/s ({rawCpu[r]:F1} cpu-us/sig, {raw[r] * rawCpu[r] / 1e6:F2} cores used), verifier {verify[r]:N0} entries/s ({verifyCpu[r]:F1} cpu-us/entry, {verify[r] * verifyCpu[r] / 1e6:F2} cores used), ratio {verify[r] / raw[r]:F3}");
        }

        // CPU time per item is less sensitive to other processes than wall-clock rates (it still varies with cache and
        // frequency). Its ratio says how much work the verifier adds per entry on top of the signature check.
        var cpuRatio = rawCpu.Min() / verifyCpu.Min();

        var rawBest = raw.Max();
        var verifyBest = verify.Max();
        var ratio = verifyBest / rawBest;

        MemoryResult? small = null, large = null;
        if (!skipMemory)
        {
            records = null!;
            bundle = null!;
            messages = null!;
            signatures = null!;
            GC.Collect();
            small = MeasureMemoryInChild(entries);
            large = MeasureMemoryInChild(peak);
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"raw_ed25519_verify_per_s={rawBest:F0}"));
        Console.WriteLine(string.Create(inv, $"verify_entries_per_s={verifyBest:F0}"));
        Console.WriteLine(string.Create(inv, $"ratio={ratio:F3}"));
        Console.WriteLine(string.Create(inv, $"raw_cpu_us_per_sig={rawCpu.Min():F2}"));
        Console.WriteLine(string.Create(inv, $"verify_cpu_us_per_entry={verifyCpu.Min():F2}"));
        Console.WriteLine(string.Create(inv, $"cpu_ratio={cpuRatio:F3}"));
        if (small is not null && large is not null)
        {
            foreach (var m in new[] { small, large })
            {
                Console.WriteLine(string.Create(inv, $"peak_working_set_mb({m.Entries})={m.PeakWorkingSetMb:F1}"));
                Console.WriteLine(string.Create(inv, $"peak_gc_heap_mb({m.Entries})={m.PeakGcHeapMb:F1}"));
                Console.WriteLine(string.Create(inv, $"gc_heap_after_mb({m.Entries})={m.GcHeapAfterMb:F1}"));
                Console.WriteLine(string.Create(inv, $"stream_verify_entries_per_s({m.Entries})={m.EntriesPerSecond:F0}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine(string.Create(inv, $"| raw NSec Ed25519 verify, Parallel.For, {Environment.ProcessorCount} cores (best of {roundCount}) | {rawBest:N0} sig/s |"));
        Console.WriteLine(string.Create(inv, $"| BundleVerifier.VerifyAsync, {entries:N0}-entry bundle in memory (best of {roundCount}) | {verifyBest:N0} entries/s |"));
        Console.WriteLine(string.Create(inv, $"| ratio (target >= 0.85) | {ratio:F3} |"));
        Console.WriteLine(string.Create(inv, $"| CPU per item: raw / verifier (min of {roundCount}) | {rawCpu.Min():F2} / {verifyCpu.Min():F2} us = {cpuRatio:F3} |"));
        if (small is not null && large is not null)
        {
            Console.WriteLine();
            Console.WriteLine("| streamed from a generator | entries | verdict | peak working set | peak GC heap | GC heap after | entries/s |");
            Console.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var m in new[] { small, large })
            {
                Console.WriteLine(string.Create(inv, $"| {m.Entries:N0} | {m.ReportedEntries:N0} | {m.Verdict} | {m.PeakWorkingSetMb:F1} MB | {m.PeakGcHeapMb:F1} MB | {m.GcHeapAfterMb:F1} MB | {m.EntriesPerSecond:N0} |"));
            }
        }

        Console.WriteLine($"# load average at end: {LoadAverage.Read()}");
        return 0; // figures, not a gate: a noisy machine must not fail a build
    }

    /// <summary>Seconds to verify every pair with NSec on all cores.</summary>
    private static double RawVerify(PublicKey key, byte[][] messages, byte[][] signatures)
    {
        var failures = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, messages.Length, i =>
        {
            if (!SignatureAlgorithm.Ed25519.Verify(key, messages[i], signatures[i]))
            {
                Interlocked.Increment(ref failures);
            }
        });
        var seconds = clock.Elapsed.TotalSeconds;
        if (failures != 0)
        {
            throw new InvalidOperationException($"{failures} raw signatures failed to verify.");
        }

        return seconds;
    }

    /// <summary>Seconds to verify the bundle from a memory stream; throws unless Valid with every entry.</summary>
    private static double VerifyBundle(BundleVerifier verifier, byte[] bundle, long entries)
    {
        var clock = Stopwatch.StartNew();
        var report = verifier.VerifyAsync(new MemoryStream(bundle, writable: false)).GetAwaiter().GetResult();
        var seconds = clock.Elapsed.TotalSeconds;
        Check(report, entries);
        return seconds;
    }

    private static void Check(VerificationReport report, long entries)
    {
        if (report.Verdict != Verdict.Valid || report.EntryCount != entries)
        {
            var first = report.Findings.FirstOrDefault();
            throw new InvalidOperationException($"Expected Valid with {entries} entries, got {report.Verdict} with {report.EntryCount}: {first?.Code} {first?.Message}");
        }
    }

    internal sealed record MemoryResult(long Entries, long ReportedEntries, string Verdict, double PeakWorkingSetMb, double PeakGcHeapMb, double GcHeapAfterMb, double EntriesPerSecond);

    /// <summary>Runs <c>--memory-child n</c> in a fresh process and parses its one result line.</summary>
    private static MemoryResult MeasureMemoryInChild(int n)
    {
        BenchData.EnsureRecordFile(n, Console.Out);
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(QuickBench).Assembly.Location);
        }

        start.ArgumentList.Add("--memory-child");
        start.ArgumentList.Add(n.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"# streaming {n:N0} entries from a generator in a child process ...");
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("memory ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The memory child failed (exit {child.ExitCode}): {output}");
        var fields = line["memory ".Length..].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        double D(string name) => double.Parse(fields[name], CultureInfo.InvariantCulture);
        return new MemoryResult(long.Parse(fields["n"], CultureInfo.InvariantCulture), long.Parse(fields["entries"], CultureInfo.InvariantCulture),
            fields["verdict"], D("peak_ws_mb"), D("peak_gc_heap_mb"), D("gc_heap_after_mb"), D("entries_per_s"));
    }

    /// <summary>
    /// The child: streams an n-entry bundle from the generator (records read from the temp file, JSON produced on the
    /// fly) and reports the process peak working set and the largest GC heap seen during verification.
    /// </summary>
    public static int MemoryChild(int n)
    {
        var path = BenchData.EnsureRecordFile(n, TextWriter.Null);
        var head = File.ReadAllBytes(path + ".head");
        var tail = File.ReadAllBytes(path + ".tail");
        long peakHeap = 0;
        var progress = new SynchronousProgress(_ =>
        {
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            if (heap > peakHeap)
            {
                peakHeap = heap;
            }
        });
        var verifier = new BundleVerifier(TestKeys.TrustBoth(), new VerificationOptions { Progress = progress });
        var clock = Stopwatch.StartNew();
        VerificationReport report;
        using (var stream = new GeneratedBundleStream(head, tail, n, new FileRecordSource(path)))
        {
            report = verifier.VerifyAsync(stream).GetAwaiter().GetResult();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var info = GC.GetGCMemoryInfo();
        var after = GC.GetTotalMemory(forceFullCollection: false);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"memory n={n} entries={report.EntryCount} verdict={report.Verdict} peak_ws_mb={self.PeakWorkingSet64 / 1048576.0:F1} peak_gc_heap_mb={Math.Max(peakHeap, info.HeapSizeBytes) / 1048576.0:F1} gc_heap_after_mb={after / 1048576.0:F1} entries_per_s={n / seconds:F0}"));
        return report.Verdict == Verdict.Valid && report.EntryCount == n ? 0 : 1;
    }

    private static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>Reports on the verifying thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
