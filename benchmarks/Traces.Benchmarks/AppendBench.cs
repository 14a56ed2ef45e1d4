using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Traces.LocalServer;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Storage;

namespace Traces.Benchmarks;

/// <summary>
/// <c>--bench-appends</c> (issue 14, "Group commit"): the reference server's append throughput and latency over HTTP,
/// durable (<c>synchronous=FULL</c>: every 201 is fsynced) against the same server with <c>synchronous=OFF</c>
/// (<see cref="LocalTracesServerOptions.DurableWrites"/> = false, for this comparison only: it forgets acknowledged
/// entries on power loss) and against the server as it was before group commit (each write its own FULL commit), all
/// in this process, in the same run, interleaved per writer count.
/// </summary>
internal static class AppendBench
{
    private static readonly string s_content = new('x', 200);

    /// <summary>The servers compared, by name: durable, the default server, is always run; sync_off is its baseline.</summary>
    public static readonly string[] AllServers = ["durable", "per_write", "sync_off"];

    public static int Run(int seconds, int rounds, int[] writerCounts, bool idempotencyKeys, bool oneTrace, string[] serverNames)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine(($"# bench-appends: {seconds} s per measurement, {rounds} round(s), writers {string.Join('/', writerCounts)}, " +
            $"idempotency keys {(idempotencyKeys ? "on" : "off")}, {(oneTrace ? "one trace shared by all writers" : "one trace per writer")}, {Environment.ProcessorCount} cores"));
        Console.WriteLine($"# loadavg at start: {LoadAverage.Read(fields: 3)}");
        var servers = new List<(string Name, LocalTracesServer Server, string Dir)>();
        try
        {
            // durable: group commit, synchronous=FULL (the default server). per_write: the server before group commit (each write
            // its own synchronous=FULL transaction, one at a time). sync_off: the durable server with synchronous=OFF and
            // nothing else changed (the same statements, batches and checkpoints on the same threads, without an fsync), so
            // durable / sync_off is the cost of the fsync alone.
            var modes = new Dictionary<string, LocalTracesServerOptions>
            {
                ["durable"] = new() { DurableWrites = true },
                ["per_write"] = new() { DurableWrites = true, GroupCommit = false },
                ["sync_off"] = new() { DurableWrites = false },
            };
            foreach (var name in serverNames)
            {
                var dir = Path.Combine(Path.GetTempPath(), "traces-bench-appends-" + Guid.NewGuid().ToString("N")[..12]);
                var options = modes[name];
                options.DataDirectory = dir;
                var server = LocalTracesServer.StartAsync(options).GetAwaiter().GetResult();
                // A new data directory: the server generates its RSA-4096 certificate key in the background (seconds of CPU).
                // Wait for it, so it does not run during the measurements of whichever server comes first.
                server.Services.GetRequiredService<ServerKeys>().GetCertificateKeyAsync(CancellationToken.None).GetAwaiter().GetResult();
                servers.Add((name, server, dir));
            }

            // Warm-up: JIT (tiered up under load), connection pools, the WAL file's first pages.
            foreach (var (_, server, _) in servers)
            {
                Measure(server, 16, 3, idempotencyKeys, oneTrace);
            }

            var results = new Dictionary<(string, int), List<Result>>();
            foreach (var writers in writerCounts)
            {
                for (var round = 0; round < rounds; round++)
                {
                    // Alternate which mode goes first, so a drift in machine load does not favour one.
                    var order = round % 2 == 0 ? servers : [.. Enumerable.Reverse(servers)];
                    foreach (var (name, server, _) in order)
                    {
                        var result = Measure(server, writers, seconds, idempotencyKeys, oneTrace);
                        Console.WriteLine(($"writers={writers} {name,-10} round={round + 1} appends_per_s={result.PerSecond:F0} p50_ms={result.P50:F2} p99_ms={result.P99:F2} max_ms={result.Max:F1} " +
                            $"cpu_us_per_append={result.CpuMicros:F0} writes_per_commit={result.WritesPerCommit:F2} writer_exec_us_per_write={result.ExecMicrosPerWrite:F1} " +
                            $"commit_ms_per_txn={result.CommitMillisPerTransaction:F3} wal_pages_per_txn={result.WalPagesPerTransaction:F1} write_queued_ms={result.QueuedMillis:F2} write_answered_ms={result.WriteMillis:F2} errors={result.Errors} loadavg={LoadAverage.Read(fields: 3)}"));
                        results.TryAdd((name, writers), []);
                        results[(name, writers)].Add(result);
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("| writers | " + string.Join(" | ", serverNames.Select(n => $"{n} appends/s | p50 / p99 ms | CPU µs/append")) +
                " | durable / sync_off | durable / per_write | writes per commit (durable) |");
            Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|---|---|", serverNames.Length)) + "---|---|---|");
            var failed = false;
            foreach (var writers in writerCounts)
            {
                // The median round of each (by throughput); the ratio of medians.
                var medians = serverNames.ToDictionary(n => n, n => Median(results[(n, writers)]));
                failed |= medians.Values.Sum(m => m.Errors) > 0;
                var durable = medians["durable"];
                string Ratio(string baseline) => medians.TryGetValue(baseline, out var b) ? (durable.PerSecond / b.PerSecond).ToString("F2") : "-";
                Console.WriteLine($"| {writers} | " + string.Join(" | ", serverNames.Select(n => $"{medians[n].PerSecond:N0} | {medians[n].P50:F1} / {medians[n].P99:F1} | {medians[n].CpuMicros:F0}")) +
                    $" | {Ratio("sync_off")} | {Ratio("per_write")} | {durable.WritesPerCommit:F1} |");
            }

            Console.WriteLine($"# loadavg at end: {LoadAverage.Read(fields: 3)}");
            return failed ? 1 : 0;
        }
        finally
        {
            foreach (var (_, server, dir) in servers)
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static Result Median(List<Result> results) => results.OrderBy(r => r.PerSecond).ElementAt(results.Count / 2);

    private static Result Measure(LocalTracesServer server, int writers, int seconds, bool idempotencyKeys, bool oneTrace)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = server.BaseAddress,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
        var traces = Enumerable.Range(0, oneTrace ? 1 : writers).Select(_ => CreateTrace(http)).ToArray();
        var database = server.Services.GetRequiredService<SqliteDatabase>();

        var latencies = new List<double>[writers];
        var errors = 0;
        using var stop = new CancellationTokenSource();
        var before = database.Statistics;
        var cpu = CpuSeconds();
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(seconds * 4096);
            var trace = traces[oneTrace ? 0 : w];
            for (var s = 0; !stop.IsCancellationRequested; s++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/traces/{trace}/steps")
                {
                    Content = new StringContent(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"ACTION\",\"content\":\"writer {w} step {s} {s_content}\",\"metadata\":{{\"tool\":\"search\",\"attempt\":{s}}}}}"),
                        Encoding.UTF8, "application/json"),
                };
                if (idempotencyKeys)
                {
                    request.Headers.Add("Idempotency-Key", Traces.Client.Http.IdempotencyKeys.New()); // the SDK's own keys
                }

                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, CancellationToken.None);
                await response.Content.LoadIntoBufferAsync(CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        stop.Cancel();
        Task.WaitAll(tasks);
        var elapsed = clock.Elapsed.TotalSeconds;
        var used = CpuSeconds() - cpu;
        var after = database.Statistics;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var transactions = after.Transactions - before.Transactions;
        var writes = after.Writes - before.Writes;
        return new Result(all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), all.Length == 0 ? 0 : all[^1],
            used * 1e6 / Math.Max(1, all.Length), writes / (double)Math.Max(1, transactions),
            (after.Executing - before.Executing).TotalMicroseconds / Math.Max(1, writes),
            (after.Committing - before.Committing).TotalMilliseconds / Math.Max(1, transactions),
            (after.Queued - before.Queued).TotalMilliseconds / Math.Max(1, writes), (after.Answered - before.Answered).TotalMilliseconds / Math.Max(1, writes),
            (after.WalPages - before.WalPages) / (double)Math.Max(1, transactions), errors);
    }

    private static string CreateTrace(HttpClient http)
    {
        using var response = http.PostAsync("/v1/traces", new StringContent("{\"label\":\"bench-appends\"}", Encoding.UTF8, "application/json"))
            .GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return JsonElement.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).GetProperty("trace_id").GetString()!;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static double CpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    private sealed record Result(double PerSecond, double P50, double P99, double Max, double CpuMicros, double WritesPerCommit,
        double ExecMicrosPerWrite, double CommitMillisPerTransaction, double QueuedMillis, double WriteMillis, double WalPagesPerTransaction,
        int Errors);
}
