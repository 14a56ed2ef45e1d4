using System.Diagnostics;
using System.Globalization;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Benchmarks;

/// <summary>
/// The SidClaw export benchmark: generated audit exports (JSON and CSV) of 100,000 and of N events (1,000,000 by
/// default) in traces of <c>perTrace</c> events, and of N events in as many traces as the 100,000 had, each verified
/// streamed from a file in a fresh child process, reporting events/s, CPU per event, the peak working set and the
/// largest GC heap seen. The memory kept is per trace (its chain state), never per event.
/// </summary>
internal static class SidClawBench
{
    public static int Run(int events, int perTrace)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# SidClaw export benchmark: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"# load average at start: {LoadAverage.Read()}");
        var results = new List<string>();
        foreach (var csv in new[] { false, true })
        {
            // 100,000 and N events with the same trace length, then N events in as many traces as 100,000 had: memory
            // follows the number of traces, not of events.
            foreach (var (n, length) in new[] { (Math.Min(100_000, events), perTrace), (events, perTrace), (events, perTrace * events / Math.Min(100_000, events)) }.Distinct())
            {
                var path = SidClawExportGenerator.Ensure(n, length, csv, Console.Out);
                Console.WriteLine($"# verifying {path} ({new FileInfo(path).Length / 1048576.0:F0} MiB) in a child process ...");
                results.Add(RunChild(path, csv));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| export | events | traces | verdict | errors | events/s | CPU per event | peak working set | peak GC heap | GC heap after |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var line in results)
        {
            var f = line["sidclaw ".Length..].Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
            Console.WriteLine(string.Create(inv,
                $"| {f["form"]} | {long.Parse(f["events"], inv):N0} | {long.Parse(f["traces"], inv):N0} | {f["verdict"]} | {f["errors"]} | {double.Parse(f["events_per_s"], inv):N0} | {f["cpu_us_per_event"]} µs | {f["peak_ws_mb"]} MB | {f["peak_gc_heap_mb"]} MB | {f["gc_heap_after_mb"]} MB |"));
        }

        Console.WriteLine($"# load average at end: {LoadAverage.Read()}");
        return 0;
    }

    /// <summary>The child: one streamed verification, one result line.</summary>
    public static int Child(string path, bool csv)
    {
        long peakHeap = 0;
        var progress = new SynchronousProgress(_ => peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false)));
        var verifier = new SidClawVerifier(options: VerificationOptions.Default with { Progress = progress });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        VendorReport report;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            report = verifier.VerifyAuditExportAsync(stream, csv ? SidClawExportFormat.Csv : SidClawExportFormat.Json).GetAwaiter().GetResult();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var info = GC.GetGCMemoryInfo();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(report);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var events = report.Items.Sum(i => i.Events ?? 0);
        var errors = report.Items.Count(i => i.Verdict == Verdict.Invalid) + report.Findings.Count(f => f.Severity == FindingSeverity.Error);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sidclaw form={(csv ? "CSV" : "JSON")} events={events} traces={report.Items.Count} verdict={report.Verdict} errors={errors} events_per_s={events / seconds:F0} cpu_us_per_event={cpuSeconds * 1e6 / events:F2} "
            + $"peak_ws_mb={self.PeakWorkingSet64 / 1048576.0:F1} peak_gc_heap_mb={Math.Max(peakHeap, info.HeapSizeBytes) / 1048576.0:F1} gc_heap_after_mb={after / 1048576.0:F1}"));
        // Intact chains without pinned heads: every trace Untrusted, no error anywhere.
        return report.Verdict == Verdict.Untrusted && errors == 0 ? 0 : 1;
    }

    private static string RunChild(string path, bool csv)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SidClawBench).Assembly.Location);
        }

        start.ArgumentList.Add("--sidclaw-child");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(csv ? "csv" : "json");
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("sidclaw ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The child failed (exit {child.ExitCode}): {output}");
        Console.WriteLine("# " + line);
        return child.ExitCode == 0 ? line : throw new InvalidOperationException($"Expected Untrusted without errors: {line}");
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
