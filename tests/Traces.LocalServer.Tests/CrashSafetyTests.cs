using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Tests;

/// <summary>
/// The standalone server killed mid-write and mid-seal, then restarted on the same data directory: every
/// acknowledged entry is there, the seal completes, and the bundle verifies under the keys it had before.
/// </summary>
public sealed class CrashSafetyTests
{
    private const string ApiKey = "tk_crash_test_key";

    [Fact]
    public async Task KilledDuringWritesAndDuringSeal_RestartsWithEveryAcknowledgedEntryAndFinishesTheSeal()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = TestServers.NewDataDirectory();
        try
        {
            // Phase 1: concurrent writers, killed mid-stream.
            string traceId;
            var acknowledged = new ConcurrentDictionary<string, long>();
            var inFlight = new ConcurrentBag<(string Key, string Body)>(); // sent, no answer: the kill landed on them
            string[] keyIdsBefore;
            using (var server = await ServerProcess.StartAsync(dataDirectory, ApiKey))
            {
                using var api = new TracesApi(server.BaseAddress, ApiKey);
                keyIdsBefore = [.. (await api.GetPublicKeysAsync()).Keys!.Select(k => k.KeyId!)];
                traceId = await api.CreateTraceAsync("crash test");
                using var stop = new CancellationTokenSource();
                var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
                {
                    for (var s = 0; !stop.IsCancellationRequested; s++)
                    {
                        HttpResponseMessage response;
                        var key = $"crash-w{w}-s{s}";
                        var json = JsonSerializer.Serialize(new { type = "ACTION", content = $"writer {w} step {s}" });
                        try
                        {
                            response = await api.PostAsync($"/v1/traces/{traceId}/steps", json, key);
                        }
                        catch (HttpRequestException)
                        {
                            inFlight.Add((key, json));
                            return; // the server is gone
                        }

                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            var body = JsonElement.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
                            acknowledged[body.GetProperty("step_id").GetString()!] = body.GetProperty("step_index").GetInt64();
                        }
                    }
                }, CancellationToken.None)).ToArray();

                var deadline = DateTime.UtcNow.AddSeconds(20);
                while (acknowledged.Count < 150)
                {
                    Assert.True(DateTime.UtcNow < deadline, "Writers made no progress:\n" + server.Output);
                    await Task.Delay(10, ct);
                }

                server.Kill(); // writers are mid-request
                await stop.CancelAsync();
                await Task.WhenAll(writers);
            }

            // Phase 2: restart, check every acknowledged entry, then seal slowly and kill mid-seal.
            using (var server = await ServerProcess.StartAsync(dataDirectory, ApiKey, sealDelayMs: 5_000))
            {
                using var api = new TracesApi(server.BaseAddress, ApiKey);
                var trace = await api.GetJsonAsync($"/v1/traces/{traceId}");
                var events = trace.GetProperty("events").EnumerateArray().ToList();
                Assert.True(events.Count >= acknowledged.Count, $"{events.Count} stored < {acknowledged.Count} acknowledged");
                Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.GetProperty("index").GetInt64()));
                var stored = events.ToDictionary(e => e.GetProperty("event_id").GetString()!, e => e.GetProperty("index").GetInt64());
                Assert.All(acknowledged, ack => Assert.Equal(ack.Value, stored[ack.Key]));

                // Retrying the requests that got no answer, with their keys, creates each entry at most once: those that
                // committed before the kill replay, the others execute now.
                foreach (var (key, json) in inFlight)
                {
                    var retry = await api.PostAsync($"/v1/traces/{traceId}/steps", json, key);
                    var body = await TracesApi.ReadJsonAsync(retry, HttpStatusCode.Created);
                    var stepId = body.GetProperty("step_id").GetString()!;
                    Assert.Equal(stored.ContainsKey(stepId), retry.Headers.Contains("Idempotent-Replayed"));
                }

                var afterRetries = await api.GetJsonAsync($"/v1/traces/{traceId}");
                Assert.Equal(acknowledged.Count + inFlight.Count, afterRetries.GetProperty("event_count").GetInt64());

                var seal = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/seal", null), HttpStatusCode.Accepted);
                Assert.Equal("sealing", seal.GetProperty("status").GetString());
                await Task.Delay(300, ct);
                server.Kill();
            }

            Assert.Equal("sealing", await ReadStatusAsync(dataDirectory, traceId));

            // Phase 3: restart; the worker resumes the seal; the bundle verifies under the keys published before the crashes.
            using (var server = await ServerProcess.StartAsync(dataDirectory, ApiKey))
            {
                using var api = new TracesApi(server.BaseAddress, ApiKey);
                var sealedTrace = await api.WaitForSealAsync(traceId, TimeSpan.FromSeconds(20));
                Assert.Equal("sealed", sealedTrace.GetProperty("status").GetString());
                var keys = await api.GetPublicKeysAsync();
                Assert.Equal(keyIdsBefore, keys.Keys!.Select(k => k.KeyId!));

                var bundle = await api.GetProofAsync(traceId);
                Assert.Equal(sealedTrace.GetProperty("event_count").GetInt64(), bundle.EventCount);
                var report = new BundleVerifier(TrustPolicy.FromPublishedKeys(keys)).Verify(bundle);
                Assert.True(report.Verdict == Verdict.Valid, string.Join("; ", report.Findings.Select(f => f.Code + ": " + f.Message)));
                var verify = await api.PostJsonAsync($"/v1/traces/{traceId}/verify", "{}", HttpStatusCode.OK);
                Assert.True(verify.GetProperty("valid").GetBoolean());
            }
        }
        finally
        {
            TestServers.DeleteDirectory(dataDirectory);
        }
    }

    private static async Task<string> ReadStatusAsync(string dataDirectory, string traceId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "traces.db")};Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status FROM traces WHERE trace_id = $id";
        command.Parameters.AddWithValue("$id", traceId);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
