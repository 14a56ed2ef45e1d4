using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Traces.LocalServer;
using Traces.TestSupport;
using Traces.Verification.Bundles;

namespace Traces.Benchmarks;

/// <summary>
/// <c>--bench-proof [--entries 10000] [--peak 1000000]</c> (issue 14 item 2, "Streamed proof"): a sealed trace of N
/// entries in a local server's data directory, then, in a fresh child process that starts the server on it, the time
/// to the first byte and to the last byte of <c>GET /proof</c> and <c>GET /v1/traces/{id}</c>, and the process's GC
/// heap and working set before and at their peak during each download (the bytes are read and dropped, so what grows
/// is the server's).
/// </summary>
/// <remarks>
/// Appending a million entries through the API would take an hour here (one fsync'd transaction each), so the
/// entries are inserted straight into the server's SQLite file, in one transaction, while the server is stopped: the
/// signed entries of <see cref="BenchData"/> (the verifier benchmark's, signed once and cached in the temp folder),
/// with the data directory's Ed25519 key set to the test key that signed them, so the bundle verifies. The trace row
/// is created and sealed through the API (the seal worker reads, checks and seals the inserted rows as any others).
/// </remarks>
internal static class ProofBench
{
    public static async Task<int> RunAsync(int entries, int peak)
    {
        Console.WriteLine($"# streamed proof benchmark: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"# load average at start: {LoadAverage.Read()}");
        foreach (var n in new[] { entries, peak }.Distinct())
        {
            var dir = Path.Combine(Path.GetTempPath(), $"traces-bench-proof-{n}-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                var traceId = await PrepareAsync(dir, n);
                var self = Environment.ProcessPath!;
                var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
                if (Path.GetFileNameWithoutExtension(self) == "dotnet")
                {
                    start.ArgumentList.Add(typeof(ProofBench).Assembly.Location);
                }

                foreach (var arg in new[] { "--proof-child", dir, traceId })
                {
                    start.ArgumentList.Add(arg);
                }

                using var child = Process.Start(start)!;
                Console.Write(await child.StandardOutput.ReadToEndAsync());
                await child.WaitForExitAsync();
                if (child.ExitCode != 0)
                {
                    return child.ExitCode;
                }
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        }

        Console.WriteLine($"# load average at end: {LoadAverage.Read()}");
        return 0;
    }

    /// <summary>The child: starts the server on <paramref name="dir"/> and measures the downloads.</summary>
    public static async Task<int> ChildAsync(string dir, string traceId)
    {
        var inv = CultureInfo.InvariantCulture;
        await using var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = dir, DurableWrites = false });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add("x-api-key", server.ApiKey);

        // Warm-up on a one-entry trace: JIT and connection, so the first byte measures the request, not the runtime.
        var small = (await (await http.PostAsJsonAsync("v1/traces", new { label = "warm-up" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trace_id").GetString()!;
        (await http.PostAsJsonAsync($"v1/traces/{small}/steps", new { type = "THOUGHT", content = "x" })).EnsureSuccessStatusCode();
        (await http.PostAsync($"v1/traces/{small}/seal", null)).EnsureSuccessStatusCode();
        while ((await http.GetFromJsonAsync<JsonElement>($"v1/traces/{small}")).GetProperty("status").GetString() != "sealed")
        {
            await Task.Delay(20);
        }

        await DownloadAsync(http, $"v1/traces/{small}/proof");
        await DownloadAsync(http, $"v1/traces/{small}");

        foreach (var (name, path) in new[] { ("proof", $"v1/traces/{traceId}/proof"), ("trace", $"v1/traces/{traceId}") })
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
            var workingSetBefore = Environment.WorkingSet;
            var result = await DownloadAsync(http, path);
            Console.WriteLine(string.Create(inv,
                $"{name}: entries {Entries(dir, traceId)}, bytes {result.Bytes:N0}, first_byte_ms {result.FirstByteMs:F1}, whole_ms {result.WholeMs:F1}, " +
                $"first_byte/whole {result.FirstByteMs / result.WholeMs:P1}, gc_heap_mb before {heapBefore / 1048576.0:F1} peak {result.PeakHeap / 1048576.0:F1}, " +
                $"working_set_mb before {workingSetBefore / 1048576.0:F1} peak {result.PeakWorkingSet / 1048576.0:F1}"));
        }

        // The client: VerifyOfflineAsync (the proof streamed into BundleVerifier) and DownloadProofAsync (streamed to a
        // file), with the same sampling. The server's share of the heap is the figure above; the rest is the client's.
        using var client = new Traces.Client.TracesClient(new Traces.Client.TracesClientOptions
        {
            Endpoint = server.BaseAddress,
            ApiKey = server.ApiKey,
            AttemptTimeout = TimeSpan.FromHours(1),
            TotalTimeout = TimeSpan.FromHours(1),
            SealTimeout = TimeSpan.FromHours(1),
        });
        var trust = Traces.Verification.Trust.TrustPolicy.FromPublishedKeys(server.PublicKeys);
        var target = Path.Combine(dir, "downloaded-proof.json");
        foreach (var name in new[] { "client_verify_offline", "client_download_proof" })
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
            var (outcome, ms, peakHeap, peakWorkingSet) = await SampleAsync(async () => name == "client_verify_offline"
                ? (await client.Traces.VerifyOfflineAsync(traceId, trust)).Verdict.ToString()
                : (await client.Traces.DownloadProofAsync(traceId, target)).ToString("N0", inv) + " bytes");
            Console.WriteLine(string.Create(inv,
                $"{name}: {outcome}, ms {ms:F0}, gc_heap_mb before {heapBefore / 1048576.0:F1} peak {peakHeap / 1048576.0:F1}, working_set_mb peak {peakWorkingSet / 1048576.0:F1}"));
        }

        return 0;
    }

    private static async Task<(string Outcome, double Ms, long PeakHeap, long PeakWorkingSet)> SampleAsync(Func<Task<string>> work)
    {
        long peakHeap = 0;
        long peakWorkingSet = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                try
                {
                    await Task.Delay(5, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var started = Stopwatch.GetTimestamp();
        var outcome = await work();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        sampling.Cancel();
        await sampler;
        return (outcome, ms, peakHeap, peakWorkingSet);
    }

    private static long Entries(string dir, string traceId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "traces.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_count FROM traces WHERE trace_id = $t";
        command.Parameters.AddWithValue("$t", traceId);
        return (long)command.ExecuteScalar()!;
    }

    private static async Task<(long Bytes, double FirstByteMs, double WholeMs, long PeakHeap, long PeakWorkingSet)> DownloadAsync(HttpClient http, string path)
    {
        long bytes = 0;
        double firstByte = 0;
        var (_, whole, peakHeap, peakWorkingSet) = await SampleAsync(async () =>
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                if (bytes == 0)
                {
                    firstByte = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                bytes += read;
            }

            return "downloaded";
        });
        return (bytes, firstByte, whole, peakHeap, peakWorkingSet);
    }

    /// <summary>A data directory holding one sealed n-entry trace; returns its id.</summary>
    private static async Task<string> PrepareAsync(string dir, int n)
    {
        var records = BenchData.EnsureRecordFile(n, Console.Out);
        var keys = Path.Combine(dir, "keys");
        Directory.CreateDirectory(keys);
        // The test keys (docs/test-vectors/keys): the Ed25519 seed that signed the records, and the RSA-4096 test key.
        await File.WriteAllBytesAsync(Path.Combine(keys, "ed25519.key"),
            Convert.FromHexString((await File.ReadAllTextAsync(TestVectors.OwnVector("keys", "ed25519-test-seed.hex"))).Trim()));
        File.Copy(TestVectors.OwnVector("keys", "rsa-4096-test-private.pem"), Path.Combine(keys, "rsa-4096.pem"));

        string traceId;
        string tenant;
        await using (var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = dir, DurableWrites = false }))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress };
            http.DefaultRequestHeaders.Add("x-api-key", server.ApiKey);
            var created = await (await http.PostAsJsonAsync("v1/traces", new { label = "Benchmark trace" })).Content.ReadFromJsonAsync<JsonElement>();
            traceId = created.GetProperty("trace_id").GetString()!;
            tenant = server.TenantId;
        }

        Console.WriteLine($"# inserting {n:N0} signed entries into {dir} ...");
        var started = Stopwatch.StartNew();
        var keyId = TestKeys.Ed25519KeyId;
        var publicKey = WireEncoding.FormatEd25519PublicKey(TestKeys.Ed25519PublicRaw);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "traces.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO entries (event_id, tenant_id, trace_id, idx, event_type, payload_json, payload_hash, content_hash, " +
                "previous_chain_hash, chain_hash, ingested_at, key_id, public_key, signature) VALUES ($id, $tenant, $trace, $idx, $type, $payload, " +
                "$payload_hash, $content_hash, $prev, $chain, $at, $key_id, $pk, $sig)";
            var p = new Dictionary<string, SqliteParameter>();
            foreach (var name in new[] { "$id", "$tenant", "$trace", "$idx", "$type", "$payload", "$payload_hash", "$content_hash", "$prev", "$chain", "$at", "$key_id", "$pk", "$sig" })
            {
                p[name] = insert.Parameters.Add(name, SqliteType.Text);
            }

            p["$tenant"].Value = tenant;
            p["$trace"].Value = traceId;
            p["$key_id"].Value = keyId;
            p["$pk"].Value = publicKey;
            var record = new byte[BenchData.RecordSize];
            string? previous = null;
            await using var file = File.OpenRead(records);
            for (long i = 0; i < n; i++)
            {
                file.ReadExactly(record);
                var chain = "sha256:" + Convert.ToHexStringLower(record.AsSpan(64, 32));
                p["$id"].Value = BenchData.EventId(i);
                p["$idx"].Value = i;
                p["$type"].Value = BenchData.EventType(i);
                p["$payload"].Value = BenchData.Payload(i);
                p["$payload_hash"].Value = "sha256:" + Convert.ToHexStringLower(record.AsSpan(0, 32));
                p["$content_hash"].Value = "sha256:" + Convert.ToHexStringLower(record.AsSpan(32, 32));
                p["$prev"].Value = (object?)previous ?? DBNull.Value;
                p["$chain"].Value = chain;
                p["$at"].Value = TestTraceSigner.TimeOf(i);
                p["$sig"].Value = "ed25519:" + Convert.ToHexStringLower(record.AsSpan(96, 64));
                insert.ExecuteNonQuery();
                previous = chain;
            }

            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE traces SET event_count = $n, last_chain_hash = $last WHERE trace_id = $trace";
            update.Parameters.AddWithValue("$n", n);
            update.Parameters.AddWithValue("$last", previous);
            update.Parameters.AddWithValue("$trace", traceId);
            update.ExecuteNonQuery();
            await transaction.CommitAsync();
        }

        Console.WriteLine($"# inserted in {started.Elapsed.TotalSeconds:F1} s; sealing through the API ...");
        // The seal's memory: the GC heap sampled (SampleAsync) while the seal worker runs in this process (it reads the
        // entries a page at a time for the chain and again for the seal-time check).
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        var (_, sealMs, peakHeap, _) = await SampleAsync(async () =>
        {
            await using var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions { DataDirectory = dir, DurableWrites = false });
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Add("x-api-key", server.ApiKey);
            (await http.PostAsync($"v1/traces/{traceId}/seal", null)).EnsureSuccessStatusCode();
            string? status;
            while ((status = (await http.GetFromJsonAsync<JsonElement>($"v1/traces/{traceId}?event_limit=1")).GetProperty("status").GetString()) == "sealing")
            {
                await Task.Delay(200);
            }

            return status == "sealed" ? status : throw new InvalidOperationException($"The benchmark trace ended '{status}'.");
        });
        Console.WriteLine($"# sealed in {sealMs / 1000:F1} s; GC heap {heapBefore / 1048576.0:F1} MB before the seal, peak {peakHeap / 1048576.0:F1} MB while it ran (n={n:N0})");
        return traceId;
    }
}
