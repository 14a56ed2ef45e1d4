using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Storage;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Tests;

/// <summary>
/// Group commit (issue 14): writes queued while a transaction runs share the next one; a write's own failure stays its
/// own; a transaction that does not commit acknowledges none of its writes. Batches are made deterministic by holding
/// the writer inside a first write while the others queue, never by timing.
/// </summary>
public sealed class GroupCommitTests : IAsyncLifetime
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintForeignKey = 787;
    private readonly string _directory = TestServers.NewTempDirectory();
    private SqliteDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _database = new SqliteDatabase(_directory, durable: true, busyTimeoutSeconds: 5);
        await _database.InitializeAsync(Ct);
        await _database.WriteAsync(async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                "CREATE TABLE t (v TEXT PRIMARY KEY); CREATE TABLE parent (id TEXT PRIMARY KEY); " +
                "CREATE TABLE child (parent_id TEXT NOT NULL REFERENCES parent (id))");
            return await command.ExecuteNonQueryAsync();
        }, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        TestServers.DeleteDirectory(_directory);
    }

    [Fact]
    public async Task TheWriterConnection_IsDurable_WithForeignKeys_A64MiBPageCache_CheckpointsEvery10000Pages_AndLimitsTheWal()
    {
        var settings = await _database.WriteAsync(async (connection, transaction) =>
        {
            async Task<long> Pragma(string name)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = $"PRAGMA {name}";
                return (long)(await command.ExecuteScalarAsync(Ct))!;
            }

            return (await Pragma("synchronous"), await Pragma("foreign_keys"), await Pragma("cache_size"), await Pragma("wal_autocheckpoint"),
                await Pragma("journal_size_limit"));
        }, Ct);

        Assert.Equal((2L, 1L, -65536L, 10_000L, 67_108_864L), settings); // FULL = 2; a negative cache_size is in KiB
    }

    [Fact]
    public async Task AWalGrownPastTheLimit_IsCutBackToIt_OnceCheckpointed()
    {
        var wal = new FileInfo(_database.Path + "-wal");
        async Task Run(string sql) => await _database.WriteAsync(async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction, sql);
            return await command.ExecuteNonQueryAsync(Ct);
        }, Ct);

        // One transaction of 72 MiB: its overflow pages all go to the WAL (about 18,500 frames).
        await Run("CREATE TABLE big (b BLOB); INSERT INTO big VALUES (zeroblob(72 * 1024 * 1024))");
        wal.Refresh();
        Assert.True(wal.Length > SqliteDatabase.WalSizeLimitBytes, $"the WAL is {wal.Length} bytes");

        // That commit took the WAL past wal_autocheckpoint, and nothing reads: its checkpoint copied every frame back.
        // The next write starts the WAL over from its beginning, and its commit truncates the file to the limit (its
        // own frames, a few pages of the freelist, fit well inside it).
        await Run("DROP TABLE big");
        wal.Refresh();
        Assert.Equal(SqliteDatabase.WalSizeLimitBytes, wal.Length);
    }

    [Fact]
    public async Task WritesQueuedWhileATransactionRuns_CommitTogetherInTheNextOne()
    {
        var before = _database.Statistics;
        Task<string>[] queued;
        using (var hold = await HoldWriterAsync())
        {
            queued = [.. Enumerable.Range(0, 10).Select(i => Insert($"v{i}"))];
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"v{i}"), await Task.WhenAll(queued));
        var after = _database.Statistics;
        Assert.Equal(2, after.Transactions - before.Transactions); // the holding write's, then one for all ten
        Assert.Equal(11, after.Writes - before.Writes);
        Assert.Equal(["held", .. Enumerable.Range(0, 10).Select(i => $"v{i}")], await RowsAsync());
    }

    [Fact]
    public async Task AWriteThatComesAlone_RunsOnItsCallersThread_WritesQueuedMeanwhile_OnTheWriterThread()
    {
        var threads = new ConcurrentDictionary<string, (int Id, string? Name)>();
        Task<string> Record(string value) => _database.WriteAsync(async (connection, transaction) =>
        {
            threads[value] = (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name);
            await ExecuteAsync(connection, transaction, $"INSERT INTO t (v) VALUES ('{value}')");
            return value;
        }, Ct);

        // Alone: nothing runs, and nothing was queued for longer than the quiet spell. Its caller runs it, inline.
        await WaitUntilAloneAsync();
        var caller = await Task.Run(async () =>
        {
            var id = Environment.CurrentManagedThreadId;
            await Record("alone");
            return id;
        }, Ct);
        Assert.Equal(caller, threads["alone"].Id);
        Assert.NotEqual("traces-sqlite-writer", threads["alone"].Name);

        // Writes queued while a caller runs a batch are not alone: the caller hands them to the writer thread.
        Task<string>[] queued;
        await WaitUntilAloneAsync();
        using (var hold = await HoldWriterAsync())
        {
            Assert.NotEqual("traces-sqlite-writer", hold.ThreadName);
            queued = [.. Enumerable.Range(0, 10).Select(i => Record($"q{i}"))];
        }

        // Time-limited: writes the caller failed to hand over would wait for a next write that never comes.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"q{i}"), await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal("traces-sqlite-writer", threads[$"q{i}"].Name));
    }

    [Fact]
    public async Task WritesHandedBetweenCallersAndTheWriterThread_AreAllTaken_NoneWaitsForTheNext()
    {
        // Sequential writes from one caller come sometimes alone (run by the caller) and sometimes close together (handed
        // to the writer thread, which then sleeps again): thousands of hand-overs. A write left behind by a lost signal
        // would wait for a next write; each has its own time limit, so that fails the test instead of hanging it.
        for (var i = 0; i < 1500; i++)
        {
            await Insert($"s{i:D4}").WaitAsync(TimeSpan.FromSeconds(10), Ct);
            if (i % 100 == 99)
            {
                await Task.Delay(SqliteDatabase.QuietSpell * 2, Ct); // the next one comes alone
            }
        }

        // Then four callers at once, each waiting for its write before the next.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await Insert($"c{caller}-{i:D3}").WaitAsync(TimeSpan.FromSeconds(10), Ct);
            }
        }, Ct)));

        var expected = Enumerable.Range(0, 4).SelectMany(c => Enumerable.Range(0, 250).Select(i => $"c{c}-{i:D3}"))
            .Concat(Enumerable.Range(0, 1500).Select(i => $"s{i:D4}"));
        Assert.Equal(expected, await RowsAsync());
    }

    /// <summary>Until no batch runs, then one quiet spell more: the next write comes alone.</summary>
    private async Task WaitUntilAloneAsync()
    {
        Assert.True(SpinWait.SpinUntil(() => !_database.IsRunningBatches, TimeSpan.FromSeconds(10)), "a batch still runs");
        await Task.Delay(SqliteDatabase.QuietSpell * 3, Ct);
    }

    [Fact]
    public async Task AKeptReaderConnection_SeesEveryWriteCommittedBeforeItsNextRead()
    {
        // Read keeps its connection and prepared statement between calls (the idempotency lookup): a statement left
        // unreset would hold its read snapshot, and the next lookup would miss what was committed since.
        const string Sql = "SELECT count(*) FROM t WHERE v LIKE 'r%'";
        Assert.Equal(0L, _database.Read(connection => (long)SqliteDatabase.Reused(connection, null, Sql).ExecuteScalar()!));
        await Insert("r1");
        Assert.Equal(1L, _database.Read(connection => (long)SqliteDatabase.Reused(connection, null, Sql).ExecuteScalar()!));
        await Insert("r2");
        Assert.Equal(2L, _database.Read(connection =>
        {
            using var reader = SqliteDatabase.Reused(connection, null, Sql).ExecuteReader();
            return reader.Read() ? reader.GetInt64(0) : -1;
        }));
        await Insert("r3");
        Assert.Equal(3L, _database.Read(connection =>
        {
            using var reader = SqliteDatabase.Reused(connection, null, Sql).ExecuteReader();
            return reader.Read() ? reader.GetInt64(0) : -1;
        }));
    }

    [Fact]
    public async Task AWriteThatFailsInABatch_FailsAlone_AndOnlyItsOwnChangesAreRolledBack()
    {
        var notFound = ApiException.TraceNotFound("tr_missing");
        Task<string> first, duplicate, refused, last;
        using (var hold = await HoldWriterAsync())
        {
            first = Insert("a");
            // Inserts "c", then violates the primary key: its savepoint takes "c" back with it.
            duplicate = _database.WriteAsync(async (connection, transaction) =>
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO t (v) VALUES ('c')");
                await ExecuteAsync(connection, transaction, "INSERT INTO t (v) VALUES ('a')");
                return "unreachable";
            }, Ct);
            refused = _database.WriteAsync<string>((_, _) => throw notFound, Ct);
            last = Insert("b");
        }

        Assert.Equal("a", await first);
        Assert.Equal("b", await last);
        var constraint = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(SqliteConstraint, constraint.SqliteErrorCode);
        Assert.Same(notFound, await Assert.ThrowsAsync<ApiException>(() => refused)); // exactly what it would get alone
        Assert.Equal(["a", "b", "held"], await RowsAsync());
    }

    [Fact]
    public async Task ABatchWhoseCommitFails_FailsEveryWriteInIt_AndStoresNone_ThenTheWriterGoesOn()
    {
        Task<string> first, violating, last;
        using (var hold = await HoldWriterAsync())
        {
            first = Insert("x");
            // A deferred foreign-key violation is only detected by COMMIT: the one way to fail a commit on demand.
            violating = _database.WriteAsync(async (connection, transaction) =>
            {
                await ExecuteAsync(connection, transaction, "PRAGMA defer_foreign_keys = ON");
                await ExecuteAsync(connection, transaction, "INSERT INTO child (parent_id) VALUES ('nobody')");
                return "violating";
            }, Ct);
            last = Insert("y");
        }

        foreach (var write in new[] { first, violating, last })
        {
            var failure = await Assert.ThrowsAsync<SqliteException>(() => write);
            Assert.Equal(SqliteConstraintForeignKey, failure.SqliteExtendedErrorCode);
        }

        Assert.Equal(["held"], await RowsAsync()); // nothing acknowledged, nothing stored
        Assert.Equal("z", await Insert("z"));
        Assert.Equal(["held", "z"], await RowsAsync());
    }

    [Fact]
    public async Task AWriteCancelledWhileQueued_NeverRuns()
    {
        using var cancel = new CancellationTokenSource();
        var ran = false;
        Task<string> cancelled;
        using (var hold = await HoldWriterAsync())
        {
            cancelled = _database.WriteAsync<string>((_, _) =>
            {
                ran = true;
                return Task.FromResult("ran");
            }, cancel.Token);
            await cancel.CancelAsync();
        }

        await Assert.ThrowsAsync<TaskCanceledException>(() => cancelled);
        Assert.Equal("after", await Insert("after"));
        Assert.False(ran);
    }

    /// <summary>
    /// Sixteen writers on one trace of a durable server (each commit fsynced, so commits are shared), with requests that
    /// must fail (a trace that does not exist) and idempotent retries mixed in: every 201 has a distinct, gap-free
    /// index, the chain links, every failure is the failure it would be alone, and the sealed proof verifies.
    /// </summary>
    [Fact]
    public async Task SixteenWritersOnADurableServer_GetAGapFreeChain_FailuresStayTheirOwn_AndTheProofVerifies()
    {
        const int writers = 16;
        const int steps = 40;
        var dir = TestServers.NewDataDirectory();
        try
        {
            await using var server = await TestServers.StartAsync(o => o.DurableWrites = true, dir);
            Assert.True(server.Services.GetRequiredService<SqliteDatabase>().Durable);
            using var api = new TracesApi(server);
            var traceId = await api.CreateTraceAsync("group commit");
            var acknowledged = new ConcurrentDictionary<string, long>();
            await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
            {
                for (var s = 0; s < steps; s++)
                {
                    var json = JsonSerializer.Serialize(new { type = "ACTION", content = $"writer {w} step {s}" });
                    var key = $"gc-{w}-{s}";
                    var body = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", json, key), HttpStatusCode.Created);
                    Assert.True(acknowledged.TryAdd(body.GetProperty("step_id").GetString()!, body.GetProperty("step_index").GetInt64()));
                    if (s % 8 == 0)
                    {
                        var missing = await api.PostAsync("/v1/traces/tr_00000000000000000000000000/steps", json);
                        await TracesApi.AssertProblemAsync(missing, HttpStatusCode.NotFound, "trace_not_found");
                        var replay = await api.PostAsync($"/v1/traces/{traceId}/steps", json, key);
                        Assert.Equal(body.GetProperty("step_id").GetString(),
                            (await TracesApi.ReadJsonAsync(replay, HttpStatusCode.Created)).GetProperty("step_id").GetString());
                        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
                    }
                }
            }, Ct)));

            Assert.Equal(Enumerable.Range(0, writers * steps).Select(i => (long)i), acknowledged.Values.Order());
            var trace = await api.SealAndWaitAsync(traceId);
            Assert.Equal(writers * steps, trace.GetProperty("event_count").GetInt64());
            string? previous = null;
            foreach (var (entry, i) in trace.GetProperty("events").EnumerateArray().Select((e, i) => (e, i)))
            {
                Assert.Equal(i, entry.GetProperty("index").GetInt64());
                Assert.Equal(acknowledged[entry.GetProperty("event_id").GetString()!], i);
                Assert.Equal(previous, entry.TryGetProperty("previous_chain_hash", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null);
                previous = Sha.ChainNext(previous, entry.GetProperty("content_hash").GetString()!);
                Assert.Equal(previous, entry.GetProperty("chain_hash").GetString());
            }

            var report = new BundleVerifier(TrustPolicy.FromPublishedKeys(server.PublicKeys)).Verify(await api.GetProofAsync(traceId));
            Assert.Equal(Verdict.Valid, report.Verdict);
            Assert.Equal(writers * steps, report.EntryCount);
        }
        finally
        {
            TestServers.DeleteDirectory(dir);
        }
    }

    [Fact]
    public async Task PreparedWrites_TakeWhatOnQueuedTakes_InTheOrderTheWriterRunsThem()
    {
        // What OnQueued takes (an entry's ingested_at, here a ticket) must increase in run order, however many callers
        // queue at once: the guarantee that time order is index order in a trace.
        var ticket = 0;
        Task<string>[][] queued;
        using (var hold = await HoldWriterAsync())
        {
            queued = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 25).Select(_ =>
            {
                var preparation = new TicketPreparation(() => Interlocked.Increment(ref ticket));
                return _database.WriteAsync(async (connection, transaction) =>
                {
                    var value = $"p{preparation.Ticket:D3}";
                    await ExecuteAsync(connection, transaction, $"INSERT INTO t (v) VALUES ('{value}')");
                    return value;
                }, preparation, Ct);
            }).ToArray(), Ct)));
        }

        var written = (await Task.WhenAll(queued.SelectMany(writes => writes))).ToHashSet();
        Assert.Equal(200, written.Count);
        var inRunOrder = (await RowsAsync(orderBy: "rowid")).Where(v => v.StartsWith('p')).ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => $"p{i:D3}"), inRunOrder);
    }

    [Fact]
    public async Task AWriteTheWriterReachesBeforeItsCallerPreparedIt_IsPreparedByTheWriter()
    {
        var callerInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseCaller = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var executed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var preparation = new SlowCallerPreparation(callerInside, releaseCaller.Task);
        Task<string> write;
        using (var hold = await HoldWriterAsync())
        {
            write = Task.Run(() => _database.WriteAsync(async (connection, transaction) =>
            {
                var value = preparation.Value!;
                await ExecuteAsync(connection, transaction, $"INSERT INTO t (v) VALUES ('{value}')");
                executed.SetResult(value);
                return value;
            }, preparation, Ct), Ct);
            await callerInside.Task; // queued, and its caller is stuck preparing it
        }

        // The writer took it while the caller was still inside Prepare: it prepared it itself and committed.
        Assert.Equal("prepared by call 2", await executed.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));
        releaseCaller.SetResult();
        Assert.Equal("prepared by call 2", await write);
        Assert.Equal(2, preparation.Calls);
        Assert.Equal(["held", "prepared by call 2"], await RowsAsync());
    }

    [Fact]
    public async Task APrepareThatThrows_IsAnsweredByWhatTheWriterMeets_NeverByTheCaller()
    {
        // Once queued, a write's answer is its task: a Prepare that fails on the caller's thread is run again by the
        // writer, and the write fails (its savepoint rolled back) only if it fails there too.
        var once = new ThrowingPreparation(failures: 1);
        var always = new ThrowingPreparation(failures: int.MaxValue);
        Task<string> recovered, failed;
        using (var hold = await HoldWriterAsync())
        {
            recovered = _database.WriteAsync(async (connection, transaction) =>
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO t (v) VALUES ('recovered')");
                return "recovered";
            }, once, Ct);
            failed = _database.WriteAsync(async (connection, transaction) =>
            {
                await ExecuteAsync(connection, transaction, "INSERT INTO t (v) VALUES ('unreachable')");
                return "unreachable";
            }, always, Ct);
        }

        Assert.Equal("recovered", await recovered);
        Assert.Equal("prepare failure 2", (await Assert.ThrowsAsync<InvalidOperationException>(() => failed)).Message);
        Assert.Equal((2, 2), (once.Calls, always.Calls)); // the caller's, then the writer's
        Assert.Equal(["held", "recovered"], await RowsAsync());
    }

    private sealed class ThrowingPreparation(int failures) : IWritePreparation
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void OnQueued()
        {
        }

        public void Prepare()
        {
            var call = Interlocked.Increment(ref _calls);
            if (call <= failures)
            {
                throw new InvalidOperationException($"prepare failure {call}");
            }
        }
    }

    private sealed class TicketPreparation(Func<int> take) : IWritePreparation
    {
        public int Ticket { get; private set; }

        public void OnQueued() => Ticket = take();

        public void Prepare()
        {
        }
    }

    /// <summary>The caller's Prepare (the first call) blocks until released; any later call prepares at once.</summary>
    private sealed class SlowCallerPreparation(TaskCompletionSource callerInside, Task releaseCaller) : IWritePreparation
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string? Value { get; private set; }

        public void OnQueued()
        {
        }

        public void Prepare()
        {
            var call = Interlocked.Increment(ref _calls);
            if (call == 1)
            {
                callerInside.SetResult();
                releaseCaller.GetAwaiter().GetResult();
                return;
            }

            Value ??= $"prepared by call {call}";
        }
    }

    private Task<string> Insert(string value) => _database.WriteAsync(async (connection, transaction) =>
    {
        await ExecuteAsync(connection, transaction, $"INSERT INTO t (v) VALUES ('{value}')");
        return value;
    }, Ct);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = SqliteDatabase.Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>The rows of t, by value, or by <c>rowid</c>: the order the writer ran their inserts in.</summary>
    private async Task<List<string>> RowsAsync(string orderBy = "v")
    {
        await using var connection = await _database.OpenAsync(Ct);
        using var command = SqliteDatabase.Command(connection, null, $"SELECT v FROM t ORDER BY {orderBy}");
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>Starts a write that inserts "held" and then waits until the returned handle is disposed: the writer is busy inside it.</summary>
    private async Task<Hold> HoldWriterAsync()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string? threadName = null;
        // On a thread of its own: a caller whose write comes alone runs its batch itself, and this one waits inside.
        var held = Task.Run(() => _database.WriteAsync(async (connection, transaction) =>
        {
            threadName = Thread.CurrentThread.Name;
            await ExecuteAsync(connection, transaction, "INSERT INTO t (v) VALUES ('held')");
            entered.SetResult();
            await release.Task;
            return 0;
        }, Ct), Ct);
        await entered.Task;
        return new Hold(release, held, threadName);
    }

    private sealed class Hold(TaskCompletionSource release, Task held, string? threadName) : IDisposable
    {
        /// <summary>The name of the thread that ran the holding write: <c>traces-sqlite-writer</c> for the writer thread.</summary>
        public string? ThreadName => threadName;

        public void Dispose()
        {
            release.SetResult();
            held.GetAwaiter().GetResult(); // the holding write commits alone, before the queued ones run
        }
    }
}
