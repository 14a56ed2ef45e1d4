using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Tests;

public sealed class ConcurrencyTests(SharedServer shared)
{
    [Fact]
    public async Task EightWritersTimes500Steps_OnOneTrace_GetGapFreeIndicesAndAValidChain()
    {
        const int writers = 8;
        const int steps = 500;
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync("concurrent");
        var acknowledged = new ConcurrentDictionary<string, long>();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var s = 0; s < steps; s++)
            {
                var response = await api.PostAsync($"/v1/traces/{traceId}/steps",
                    JsonSerializer.Serialize(new { type = "ACTION", content = $"writer {w} step {s}" }));
                var body = await TracesApi.ReadJsonAsync(response, HttpStatusCode.Created);
                Assert.True(acknowledged.TryAdd(body.GetProperty("step_id").GetString()!, body.GetProperty("step_index").GetInt64()));
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(writers * steps, acknowledged.Count);
        Assert.Equal(Enumerable.Range(0, writers * steps).Select(i => (long)i), acknowledged.Values.Order());

        var trace = await api.SealAndWaitAsync(traceId);
        Assert.Equal(writers * steps, trace.GetProperty("event_count").GetInt64());
        var events = trace.GetProperty("events").EnumerateArray().ToList();
        string? previous = null;
        string? previousTime = null;
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i, events[i].GetProperty("index").GetInt64());
            // Time order is index order: ingested_at is taken as a write is queued, in the order the writer runs them
            // (canonical timestamps compare as strings).
            var time = events[i].GetProperty("ingested_at").GetString()!;
            Assert.True(previousTime is null || string.CompareOrdinal(previousTime, time) < 0, $"entry {i}: {time} is not after {previousTime}");
            previousTime = time;
            Assert.Equal(acknowledged[events[i].GetProperty("event_id").GetString()!], i);
            var content = events[i].GetProperty("content_hash").GetString()!;
            var chain = Sha.ChainNext(previous, content);
            Assert.Equal(chain, events[i].GetProperty("chain_hash").GetString());
            previous = chain;
        }

        Assert.Equal(previous, trace.GetProperty("integrity_root_hash").GetString());
        var report = new BundleVerifier(TrustPolicy.FromPublishedKeys(shared.Server.PublicKeys)).Verify(await api.GetProofAsync(traceId));
        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(writers * steps, report.EntryCount);
    }
}
