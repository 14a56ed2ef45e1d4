using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Traces.LocalServer.Api;
using Traces.LocalServer.Sealing;
using Traces.LocalServer.Storage;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification.Bundles;

namespace Traces.LocalServer.Tests;

/// <summary>
/// <c>GET /proof</c> and <c>GET /v1/traces/{id}</c> are written while the entries are read, a page at a time (issue 14).
/// The bytes must be those of the document built whole in memory, as the server sent it before: compared here byte
/// for byte over a trace of several pages (64, 256, then 1,024 rows a page), with text that the encoder escapes, and
/// with the member name "events" inside the caller's metadata.
/// </summary>
public sealed class StreamedResponseTests
{
    private const int Entries = 400; // pages of 64, 256 and 80

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StreamedProofAndTrace_OverSeveralPages_EqualTheWholeDocumentsByteForByte()
    {
        var dir = TestServers.NewDataDirectory();
        try
        {
            await using var server = await TestServers.StartAsync(configure: null, dir);
            using var api = new TracesApi(server);
            var traceId = (await api.PostJsonAsync("/v1/traces",
                """{"label":"Quote \" <b>&'+ \"events\":[] é","description":"d","tags":["x"],"metadata":{"events":[],"note":"\"events\":[] ü <script>"}}"""))
                .GetProperty("trace_id").GetString()!;
            for (var i = 0; i < Entries; i++)
            {
                await api.AddStepAsync(traceId, i % 3 == 0 ? $"step {i} <tag> & 'quote' \"events\":[] ✓ 😀" : $"step {i}");
            }

            // Open: the trace with its entries.
            Assert.Equal(await WholeTraceAsync(server, traceId), await GetBytesAsync(api, $"/v1/traces/{traceId}"));

            await api.SealAndWaitAsync(traceId, TimeSpan.FromSeconds(60));
            var proof = await GetBytesAsync(api, $"/v1/traces/{traceId}/proof");
            Assert.Equal(await WholeProofAsync(server, traceId), proof);
            Assert.Equal(Entries, JsonSerializer.Deserialize(proof, TracesJsonContext.Strict.ProofBundle)!.Events!.Count);
            Assert.Equal(await WholeTraceAsync(server, traceId), await GetBytesAsync(api, $"/v1/traces/{traceId}"));

            // Rows edited in behind the server's back (no index, an index past the end) are shown where ORDER BY idx
            // put them: the unindexed ones first, by rowid.
            await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "traces.db")};Pooling=False"))
            {
                await connection.OpenAsync(Ct);
                using var command = connection.CreateCommand();
                command.CommandText =
                    "INSERT INTO entries SELECT 'evt_forged_' || n.v, tenant_id, trace_id, n.idx, event_type, payload_json, payload_hash, content_hash, " +
                    "previous_chain_hash, chain_hash, ingested_at, key_id, public_key, signature FROM entries, " +
                    $"(SELECT 'b' AS v, NULL AS idx UNION ALL SELECT 'a', NULL UNION ALL SELECT 'c', {Entries + 5}) AS n WHERE trace_id = $trace AND entries.idx = 7";
                command.Parameters.AddWithValue("$trace", traceId);
                Assert.Equal(3, await command.ExecuteNonQueryAsync(Ct));
            }

            var edited = await GetBytesAsync(api, $"/v1/traces/{traceId}/proof");
            Assert.Equal(await WholeProofAsync(server, traceId), edited);
            var events = JsonSerializer.Deserialize(edited, TracesJsonContext.Strict.ProofBundle)!.Events!;
            Assert.Equal(["evt_forged_b", "evt_forged_a"], events.Take(2).Select(e => e.EventId));
            Assert.Equal("evt_forged_c", events[^1].EventId);
            Assert.Equal(await WholeTraceAsync(server, traceId), await GetBytesAsync(api, $"/v1/traces/{traceId}"));
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task StreamedProof_OfOneEntry_EqualsTheWholeDocument()
    {
        var dir = TestServers.NewDataDirectory();
        try
        {
            await using var server = await TestServers.StartAsync(configure: null, dir);
            using var api = new TracesApi(server);
            var traceId = await api.CreateTraceAsync("one");
            await api.AddStepAsync(traceId, "only");
            await api.SealAndWaitAsync(traceId);

            Assert.Equal(await WholeProofAsync(server, traceId), await GetBytesAsync(api, $"/v1/traces/{traceId}/proof"));
            Assert.Equal(await WholeTraceAsync(server, traceId), await GetBytesAsync(api, $"/v1/traces/{traceId}"));
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    private static async Task<byte[]> GetBytesAsync(TracesApi api, string path)
    {
        using var response = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    /// <summary>
    /// Once the reading side has completed (a client gone; the seal check's verifier with its verdict), the writer stops
    /// without reading another page, even from a source that never ends.
    /// </summary>
    [Theory]
    [InlineData(false, 0)] // gone before the head: not one page read
    [InlineData(true, 64)] // gone after the head: the writer reads on to its first 32 KB flush (64 elements of 512 bytes and 63 commas), then stops
    public async Task StreamedJson_StopsReading_OnceTheReaderHasCompleted(bool readHeadFirst, int expectedPages)
    {
        var pipe = new System.IO.Pipelines.Pipe(new System.IO.Pipelines.PipeOptions(pauseWriterThreshold: 0));
        var readerGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pagesRead = 0;
        async IAsyncEnumerable<IReadOnlyList<string>> Endless()
        {
            await readerGone.Task; // the first page is read only once the reader has left
            while (true)
            {
                pagesRead++;
                yield return [new string('x', 510)]; // 512 bytes once quoted
            }
        }

        if (!readHeadFirst)
        {
            await pipe.Reader.CompleteAsync();
            readerGone.SetResult();
        }

        var stringType = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<string>)JsonSerializerOptions.Default.GetTypeInfo(typeof(string));
        var writing = StreamedJson.WriteAsync(pipe.Writer, "{\"items\":["u8.ToArray(), _ => "]}"u8.ToArray(), Endless(), text => text,
            stringType, elementDepth: 2, Ct);
        if (readHeadFirst)
        {
            var read = await pipe.Reader.ReadAsync(Ct); // the head, flushed on its own
            Assert.Equal("{\"items\":[", System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer)));
            await pipe.Reader.CompleteAsync();
            readerGone.SetResult();
        }

        await writing.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(expectedPages, pagesRead);
    }

    /// <summary>What <c>GET /proof</c> sent before it was streamed: the assembled bundle, serialized at once (BundleDocuments.Json).</summary>
    private static async Task<byte[]> WholeProofAsync(LocalTracesServer server, string traceId)
    {
        var store = server.Services.GetRequiredService<TraceStore>();
        var trace = (await store.GetTraceAsync(server.TenantId, traceId, Ct))!;
        var bundle = (await server.Services.GetRequiredService<BundleAssembler>().AssembleAsync(trace, Ct))!;
        return JsonSerializer.SerializeToUtf8Bytes(bundle, BundleDocuments.Relaxed(TracesJsonContext.Default.ProofBundle));
    }

    /// <summary>What <c>GET /v1/traces/{id}</c> sent before it was streamed.</summary>
    private static async Task<byte[]> WholeTraceAsync(LocalTracesServer server, string traceId)
    {
        var store = server.Services.GetRequiredService<TraceStore>();
        var trace = (await store.GetTraceAsync(server.TenantId, traceId, Ct))!;
        var entries = await store.GetEntriesAsync(traceId, Ct);
        return server.Services.GetRequiredService<ResponseRenderer>().Serialize(TraceEndpoints.ToDetail(trace, entries, page: 1, limit: entries.Count, hasMore: false));
    }
}
