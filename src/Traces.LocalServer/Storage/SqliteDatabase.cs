using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Traces.LocalServer.Storage;

/// <summary>
/// The SQLite file <c>&lt;data&gt;/traces.db</c> in WAL mode: readers never block the writer and a crash leaves the
/// database at the last committed transaction. All writes go through <see cref="WriteAsync{T}(Func{SqliteConnection, SqliteTransaction, Task{T}}, IWritePreparation?, CancellationToken)"/>, which group-commits
/// them: one thread at a time (the writer thread, or the caller of a write that comes alone, see <see cref="RunOrHandOver"/>)
/// takes every write waiting, runs each in a savepoint of one transaction and commits once; in a durable database that
/// commit fsyncs the WAL (<c>synchronous=FULL</c>), and only then is each caller answered (docs/local-server.md
/// "Durability and group commit").
/// </summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    public const string FileName = "traces.db";

    /// <summary>The page cache of a connection that writes, in KiB (<c>PRAGMA cache_size</c>; see <see cref="OpenForWrites"/>).</summary>
    public const int WriterCacheKiB = 64 * 1024;

    /// <summary>WAL pages after which a commit checkpoints (<c>PRAGMA wal_autocheckpoint</c>; see <see cref="OpenForWrites"/>).</summary>
    public const int WalAutocheckpointPages = 10_000;

    /// <summary>
    /// The size, in bytes, the <c>-wal</c> file is cut back to when SQLite restarts it after a checkpoint
    /// (<c>PRAGMA journal_size_limit</c>; see <see cref="OpenForWrites"/>).
    /// </summary>
    public const long WalSizeLimitBytes = 64L * 1024 * 1024;

    /// <summary>
    /// A write queued this long after the one before it comes alone: its caller runs it if no batch is running
    /// (<see cref="RunOrHandOver"/>).
    /// </summary>
    public static readonly TimeSpan QuietSpell = TimeSpan.FromMilliseconds(2);

    private static readonly long QuietSpellTicks = (long)(QuietSpell.TotalSeconds * Stopwatch.Frequency);

    /// <summary>The most writes one transaction takes. Bounds a batch's latency; 16 writers never reach it.</summary>
    public const int MaxBatch = 256;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> s_reused = new();
    private readonly string _connectionString;
    private readonly string _readerConnectionString;
    private readonly string _synchronous;

    // One writer. SQLite allows a single writer anyway; queueing in-process means writers wait here instead of spinning
    // on SQLITE_BUSY, and it is what serializes appends to a trace: the index and previous chain hash are read and the
    // entry inserted by this one thread, so concurrent appends get consecutive indices and a correct chain.
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _queueOrder = new();
    private readonly Thread _writer;
    private readonly SemaphoreSlim _wake = new(0);
    // Who runs batches (RunOrHandOver): nobody (the writer thread sleeps), the caller of a write that came alone, or the
    // writer thread. Changed only by interlocked operations; whoever stops running looks at the queue again afterwards.
    private const int Idle = 0;
    private const int CallerRuns = 1;
    private const int WriterRuns = 2;
    private int _runner;
    private long _lastQueuedAt; // Stopwatch timestamp of the last write queued
    private volatile bool _stopping;
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SqliteConnection? _writerConnection;
    private long _walPages;
    private long _batches;
    private long _writes;
    private long _queuedTicks;
    private long _answeredTicks;
    private long _executeTicks;
    private long _commitTicks;

    // Benchmark baseline only (see LocalTracesServerOptions.GroupCommit): writes one at a time under this gate, each
    // in its own transaction committed with FULL, as before group commit.
    private readonly SemaphoreSlim? _oneAtATime;

    // Reader connections kept open with their prepared statements (see Read): the append path's idempotency lookup
    // would otherwise prepare its SELECT on a freshly pooled connection for every request.
    private readonly System.Collections.Concurrent.ConcurrentBag<SqliteConnection> _readers = [];
    private int _idleReaders;

    /// <summary>The most idle reader connections kept open (<see cref="Read{T}"/>); more concurrent reads open more, then close them.</summary>
    public const int MaxIdleReaders = 8;

    public SqliteDatabase(string dataDirectory, bool durable, int busyTimeoutSeconds, bool groupCommit = true)
    {
        Path = System.IO.Path.Combine(dataDirectory, FileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            // Microsoft.Data.Sqlite retries a command that meets SQLITE_BUSY until this many seconds have passed.
            DefaultTimeout = busyTimeoutSeconds,
        }.ToString();
        _readerConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString();

        // Durable: an acknowledged entry must survive power loss, not just a killed process. In WAL mode a commit
        // appends the transaction's frames to traces.db-wal; with synchronous=FULL, COMMIT fsyncs the WAL before it
        // returns and before readers can see the transaction, so what is visible or acknowledged is on the disk. Group
        // commit makes that one fsync per batch instead of one per write. (NORMAL fsyncs the WAL only at checkpoints:
        // it survives a killed process but may lose the last commits on power loss.)
        // OFF (ephemeral servers, whose files are deleted on dispose, and the benchmark's baseline) leaves syncing to
        // the OS: a killed process loses nothing committed, power loss can.
        _synchronous = durable ? "FULL" : "OFF";
        Durable = durable;
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = "traces-sqlite-writer" };
        if (!groupCommit)
        {
            _oneAtATime = new SemaphoreSlim(1, 1);
            _writerStopped.SetResult();
            return;
        }

        _writer.Start();
    }

    public string Path { get; }

    /// <summary>Whether a batch is being run (by a caller or the writer thread) or handed to the writer thread. For tests.</summary>
    internal bool IsRunningBatches => Volatile.Read(ref _runner) != Idle;

    public bool Durable { get; }

    /// <summary>
    /// Counters since start, for benchmarks: transactions committed, writes in them, the writer's time executing and
    /// committing, the pages its commits wrote to the WAL (0 without group commit), and the writes' own time from <see cref="WriteAsync{T}(Func{SqliteConnection, SqliteTransaction, Task{T}}, IWritePreparation?, CancellationToken)"/> to the start of their batch and to the answer.
    /// </summary>
    public WriteStatistics Statistics => new(Interlocked.Read(ref _batches), Interlocked.Read(ref _writes),
        Elapsed(ref _executeTicks), Elapsed(ref _commitTicks), Elapsed(ref _queuedTicks), Elapsed(ref _answeredTicks),
        Interlocked.Read(ref _walPages));

    /// <summary>
    /// A pooled connection for reads. No pragma is set: <c>synchronous</c> and <c>foreign_keys</c> govern writes, and no
    /// write is made on a read connection (setting them was two statements parsed and run at every open). A read
    /// connection that happens to close last checkpoints the WAL under SQLite's default, <c>synchronous=FULL</c>, which
    /// syncs at least as much as either mode of the writer. Writes go through <see cref="WriteAsync{T}(Func{SqliteConnection, SqliteTransaction, Task{T}}, IWritePreparation?, CancellationToken)"/>.
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a reader connection kept open with the statements it prepared
    /// (<see cref="Reused"/> caches them per connection object, and a pooled connection is a new object at every open).
    /// Synchronous, as Microsoft.Data.Sqlite is underneath; for the short lookups of the append path.
    /// </summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        if (_readers.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleReaders);
        }
        else
        {
            // Not from the pool: a connection the pool hands out again would be a new object, without its statements.
            connection = new SqliteConnection(_readerConnectionString);
            connection.Open();
        }

        T result;
        try
        {
            result = read(connection);
        }
        catch
        {
            connection.Dispose(); // whatever state the failure left it in, it is not handed out again
            throw;
        }

        if (!_stopping && Interlocked.Increment(ref _idleReaders) <= MaxIdleReaders)
        {
            _readers.Add(connection);
            if (_stopping)
            {
                CloseIdleReaders(); // disposed meanwhile: its own drain may have run before this Add
            }
        }
        else
        {
            Interlocked.Decrement(ref _idleReaders);
            connection.Dispose();
        }

        return result;
    }

    private void CloseIdleReaders()
    {
        while (_readers.TryTake(out var reader))
        {
            reader.Dispose();
        }
    }

    /// <summary>A connection for writes: the database's <c>synchronous</c> setting and foreign keys on.</summary>
    private SqliteConnection OpenForWrites()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // cache_size: SQLite's default page cache is 2 MiB per connection; an append touches random pages of the
        // (trace_id, idx) and idempotency-key indexes, which outgrow it as the database grows, and every miss is a read
        // on the writer's serial path. 64 MiB (filled only as pages are used) took the writer's time per append at
        // 16 writers from 134-152 to 109-122 µs in --bench-appends (benchmarks/README.md, group commit).
        // wal_autocheckpoint: SQLite copies the WAL back into traces.db inside the commit that takes the WAL past this
        // many pages, and when durable fsyncs traces.db there, while every write in that batch and behind it waits.
        // At SQLite's default, 1,000 pages, commits over 3 ms were 9-12% of the durable commit time at 16 writers;
        // 10,000 (a WAL of about 40 MiB) runs a tenth as many, each copying only the last version of the pages written
        // over and over meanwhile (the trace rows, the ends of the indexes): 6-8% (benchmarks/README.md, group commit).
        // The WAL can outgrow it while an open read keeps a checkpoint from finishing (docs/local-server.md).
        // journal_size_limit: once a checkpoint has copied the whole WAL back and no reader still uses it, the next write
        // reuses the -wal file from its start, so without a limit the file keeps the largest size it reached (a long
        // read that held up checkpoints: gigabytes, until the server stops). With one, the commit that restarts the WAL
        // truncates the file to the limit (or to what that commit wrote, if more). 64 MiB is above what 10,000 pages
        // take (about 41 MB with the frame headers), so in steady state nothing is truncated and regrown.
        pragma.CommandText = $"PRAGMA synchronous={_synchronous}; PRAGMA foreign_keys=ON; PRAGMA cache_size=-{WriterCacheKiB}; " +
            $"PRAGMA wal_autocheckpoint={WalAutocheckpointPages}; PRAGMA journal_size_limit={WalSizeLimitBytes};";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates the schema (idempotent) and switches the file to WAL, which is persistent.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = OpenForWrites();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + Schema.Sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in an IMMEDIATE transaction, possibly shared with other writes (each in its own
    /// savepoint), and completes once that transaction has committed and, when durable, the WAL holding it has been
    /// fsynced: the caller never sees a result that is not durable.
    /// An exception from <paramref name="work"/> rolls back its savepoint only and is rethrown to this caller alone;
    /// a failure of the transaction itself (BEGIN, COMMIT) is rethrown to every write in it, none of which is kept.
    /// <paramref name="ct"/> cancels only while the write is still queued: once the writer takes it, it runs to
    /// completion (a client disconnect must not roll back an entry halfway).
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct = default) =>
        WriteAsync(work, preparation: null, ct);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{SqliteConnection, SqliteTransaction, Task{T}}, CancellationToken)"/>, with work
    /// that need not hold the writer: <see cref="IWritePreparation.OnQueued"/> runs as the write is queued, in queue
    /// order (the order writes run in), and <see cref="IWritePreparation.Prepare"/> then runs on the caller's thread while
    /// the write waits for the batch ahead, or on the writer before <paramref name="work"/> if it gets there first.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, IWritePreparation? preparation,
        CancellationToken ct)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(ct);
        }

        if (_oneAtATime is not null)
        {
            return WriteAloneAsync(work, preparation, ct);
        }

        var write = new PendingWrite<T>(work, preparation);
        if (preparation is null)
        {
            Enqueue(write);
        }
        else
        {
            // One at a time from OnQueued to the queue, so what OnQueued takes (an entry's ingested_at) increases in the
            // order the writer runs the writes: time order is index order in every trace.
            lock (_queueOrder)
            {
                preparation.OnQueued();
                Enqueue(write);
            }
        }

        var alone = write.QueuedAt - Interlocked.Exchange(ref _lastQueuedAt, write.QueuedAt) > QuietSpellTicks;
        write.CancelWhileQueued(ct);
        try
        {
            preparation?.Prepare(); // off the serial path: the writer may be busy with the batch ahead meanwhile
        }
        catch (Exception)
        {
            // The write is queued: the writer prepares it again before its work, and what it meets there (this
            // exception again, most likely) is the write's answer. Throwing here would answer a write that may commit.
        }

        RunOrHandOver(alone);
        return write.Task;
    }

    private void Enqueue(PendingWrite write)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(SqliteDatabase));
        }
    }

    /// <summary>Stops taking writes, lets the writer finish (and sync) the ones queued, and closes its connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        _stopping = true;
        CloseIdleReaders();
        _wake.Release();
        await _writerStopped.Task;
    }

    private async Task<T> WriteAloneAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, IWritePreparation? preparation,
        CancellationToken ct)
    {
        var queuedAt = Stopwatch.GetTimestamp();
        await _oneAtATime!.WaitAsync(ct);
        try
        {
            // Inside the gate, as before group commit: one write at a time, in the order they run.
            preparation?.OnQueued();
            preparation?.Prepare();
            var started = Stopwatch.GetTimestamp();
            await using var connection = OpenForWrites();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            var result = await work(connection, transaction);
            var executed = Stopwatch.GetTimestamp();
            await transaction.CommitAsync(CancellationToken.None);
            Interlocked.Add(ref _executeTicks, executed - started);
            var committed = Stopwatch.GetTimestamp();
            Interlocked.Add(ref _commitTicks, committed - executed);
            Interlocked.Add(ref _queuedTicks, started - queuedAt);
            Interlocked.Add(ref _answeredTicks, committed - queuedAt);
            Interlocked.Increment(ref _batches);
            Interlocked.Increment(ref _writes);
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// Pages <paramref name="connection"/> wrote to the WAL since the last call (<c>SQLITE_DBSTATUS_CACHE_WRITE</c>, reset
    /// as read; https://sqlite.org/c3ref/c_dbstatus_options.html): a commit's frames, which its fsync waits for.
    /// </summary>
    private static long WalPagesWritten(SqliteConnection connection) =>
        SQLitePCL.raw.sqlite3_db_status(connection.Handle, SQLitePCL.raw.SQLITE_DBSTATUS_CACHE_WRITE, out var written, out _, 1) == SQLitePCL.raw.SQLITE_OK
            ? written
            : 0;

    private static TimeSpan Elapsed(ref long ticks) =>
        TimeSpan.FromTicks(Interlocked.Read(ref ticks) * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    /// <summary>
    /// A command for <paramref name="sql"/> prepared once per connection and reused: the writer's connection lives as
    /// long as the database, and preparing an append's statements cost about as much as running them. The caller does
    /// not dispose it (the connection does, when it closes) and passes the same parameters in the same order each time.
    /// One thread at a time per connection, as for any SQLite connection.
    /// </summary>
    public static SqliteCommand Reused(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var cache = s_reused.GetOrCreateValue(connection);
        if (!cache.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in parameters)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            cache[sql] = command;
        }

        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>
    /// Runs the write just queued, or leaves it to whoever does. A write that comes alone (nothing queued for
    /// <see cref="QuietSpell"/> before it) and finds no batch running is run by its caller, on the caller's thread:
    /// nobody is there to share its commit, and a hand-off to the writer thread would wait for that thread to be
    /// scheduled, which on a loaded machine takes a time slice (1 writer, load 10 on 2 cores: half the appends/s with
    /// every write handed off). Writes that come close together are handed to the writer thread (a caller's run takes
    /// only what is queued when it starts): a batch blocks in SQLite and, when durable, in fsync for about a millisecond, and thread-pool threads blocked that long
    /// make the pool add threads, which on two cores cost more CPU than the hand-off (16 writers: durable / sync_off
    /// 0.74–0.78 with callers running about a tenth of the batches, 0.85–0.87 with none; benchmarks/README.md).
    /// </summary>
    private void RunOrHandOver(bool alone)
    {
        if (!alone)
        {
            WakeWriterIfIdle(); // else a batch is running: whoever runs it looks at the queue when it stops
            return;
        }

        if (Interlocked.CompareExchange(ref _runner, CallerRuns, Idle) == Idle)
        {
            RunQueuedBatch();
            StopRunning();
        }
    }

    /// <summary>
    /// Ends a run (a caller's batch, or the writer thread's): Idle, then a look at the queue. The exchange is a full
    /// fence, so the look cannot come before it: a write queued during the run is seen now and handed to the writer
    /// thread, and one queued after it found Idle and was run or handed over by its own caller.
    /// </summary>
    private void StopRunning()
    {
        Interlocked.Exchange(ref _runner, Idle);
        if (_queue.Reader.TryPeek(out _))
        {
            WakeWriterIfIdle();
        }
    }

    /// <summary>Hands the run to the writer thread if nobody has it: the only way into WriterRuns, one signal each.</summary>
    private void WakeWriterIfIdle()
    {
        // An interlocked operation, not a read first: a plain read may come before the caller's write was queued
        // (the store-load reordering x86 allows), and both sides would miss each other.
        if (Interlocked.CompareExchange(ref _runner, WriterRuns, Idle) == Idle)
        {
            _wake.Release();
        }
    }

    /// <summary>Runs one batch of what is queued (and, after a lost transaction, the writes it did not run). Only by the runner (<see cref="RunOrHandOver"/>).</summary>
    private void RunQueuedBatch()
    {
        var batch = new List<PendingWrite>();
        while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
        {
            if (write.TryStart())
            {
                batch.Add(write);
            }
        }

        try
        {
            while (batch.Count > 0)
            {
                batch = RunBatch(batch);
            }
        }
        catch (Exception ex)
        {
            // Not expected (RunBatch turns every failure into the writes' results), but a caller must never be left
            // waiting: fail what this batch still holds (completed writes ignore it).
            batch.ForEach(write => write.Fail(ex));
        }
    }

    // Runs the batches of writes that come close together (RunOrHandOver). A thread of its own, not the thread pool's:
    // it blocks in SQLite and fsync by design. Signalled only on entering WriterRuns (WakeWriterIfIdle), which cannot
    // happen again before this loop stops running, so the semaphore's count stays at zero or one.
    private void WriterLoop()
    {
        try
        {
            while (true)
            {
                _wake.Wait();
                if (_stopping)
                {
                    return;
                }

                while (_queue.Reader.TryPeek(out _))
                {
                    RunQueuedBatch();
                }

                StopRunning(); // writes queued meanwhile hand the run straight back: the next Wait returns at once
            }
        }
        finally
        {
            // Disposed: the queue takes nothing more (TryComplete comes before _stopping is set: keep that order). Once
            // a caller's batch is done, run for good: what the queue still holds, then close.
            SpinWait.SpinUntil(() =>
            {
                var runner = Volatile.Read(ref _runner);
                return runner != CallerRuns && Interlocked.CompareExchange(ref _runner, WriterRuns, runner) == runner;
            });
            while (_queue.Reader.TryPeek(out _))
            {
                RunQueuedBatch();
            }

            _writerConnection?.Dispose();
            _writerStopped.TrySetResult();
        }
    }

    /// <summary>Runs <paramref name="batch"/> in one transaction; returns the writes not run (after a lost transaction).</summary>
    private List<PendingWrite> RunBatch(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        SqliteTransaction transaction;
        try
        {
            _writerConnection ??= OpenForWrites();
            // Microsoft.Data.Sqlite begins non-deferred transactions with BEGIN IMMEDIATE: the write lock is taken up
            // front (waiting up to the busy timeout for another process's connection).
            transaction = _writerConnection.BeginTransaction();
        }
        catch (Exception ex)
        {
            foreach (var write in batch)
            {
                write.Fail(ex); // what each would have met alone
            }

            return [];
        }

        var run = 0;
        Exception? lost = null;
        using (transaction)
        {
            for (; run < batch.Count && lost is null; run++)
            {
                var write = batch[run];
                Reused(_writerConnection, transaction, "SAVEPOINT w").ExecuteNonQuery();
                try
                {
                    write.Execute(_writerConnection, transaction);
                    Reused(_writerConnection, transaction, "RELEASE w").ExecuteNonQuery();
                }
                catch (Exception ex)
                {
                    write.SetOwnFailure(ex);
                    try
                    {
                        Reused(_writerConnection, transaction, "ROLLBACK TO w").ExecuteNonQuery();
                        Reused(_writerConnection, transaction, "RELEASE w").ExecuteNonQuery();
                    }
                    catch (Exception)
                    {
                        // SQLite rolled the whole transaction back itself (SQLITE_FULL, SQLITE_IOERR, ...): the writes
                        // before this one are gone with it, for the reason this one met.
                        lost = ex;
                    }
                }
            }

            var executed = Stopwatch.GetTimestamp();
            Interlocked.Add(ref _executeTicks, executed - started);
            if (lost is null)
            {
                try
                {
                    transaction.Commit();
                    Interlocked.Add(ref _walPages, WalPagesWritten(_writerConnection));
                }
                catch (Exception ex)
                {
                    lost = ex;
                }
            }

            Interlocked.Add(ref _commitTicks, Stopwatch.GetTimestamp() - executed);
        }

        if (lost is not null)
        {
            for (var i = 0; i < run; i++)
            {
                batch[i].Fail(lost); // none of them is stored: none is acknowledged
            }

            return batch.GetRange(run, batch.Count - run); // not run yet: they get a transaction of their own
        }

        var committed = Stopwatch.GetTimestamp();
        long queued = 0, answered = 0;
        foreach (var write in batch)
        {
            queued += started - write.QueuedAt;
            answered += committed - write.QueuedAt;
            write.Complete(); // committed, and when durable fsynced: only now does anyone hear of it
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, batch.Count);
        Interlocked.Add(ref _queuedTicks, queued);
        Interlocked.Add(ref _answeredTicks, answered);

        return [];
    }

    private abstract class PendingWrite
    {
        private const int Queued = 0;
        private const int Started = 1;
        private const int Cancelled = 2;
        private int _state;
        private CancellationTokenRegistration _cancellation;

        /// <summary>When <see cref="WriteAsync{T}(Func{SqliteConnection, SqliteTransaction, Task{T}}, IWritePreparation?, CancellationToken)"/> took it (<see cref="Stopwatch.GetTimestamp"/>), for <see cref="Statistics"/>.</summary>
        public long QueuedAt { get; } = Stopwatch.GetTimestamp();

        public bool TryStart()
        {
            if (Interlocked.CompareExchange(ref _state, Started, Queued) != Queued)
            {
                return false;
            }

            _cancellation.Unregister();
            return true;
        }

        public void CancelWhileQueued(CancellationToken ct)
        {
            if (ct.CanBeCanceled)
            {
                _cancellation = ct.Register(static (state, token) =>
                {
                    var write = (PendingWrite)state!;
                    if (Interlocked.CompareExchange(ref write._state, Cancelled, Queued) == Queued)
                    {
                        write.Cancel(token);
                    }
                }, this);
            }
        }

        /// <summary>Runs the work (its awaits complete synchronously: Microsoft.Data.Sqlite is synchronous underneath).</summary>
        public abstract void Execute(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>The work threw: its savepoint is rolled back, and this is its answer if the transaction commits.</summary>
        public abstract void SetOwnFailure(Exception exception);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        protected abstract void Cancel(CancellationToken token);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, IWritePreparation? preparation) : PendingWrite
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Task => _completion.Task;

        public override void Execute(SqliteConnection connection, SqliteTransaction transaction)
        {
            preparation?.Prepare(); // done already unless the writer got here before the caller finished it
            _result = work(connection, transaction).GetAwaiter().GetResult();
        }

        public override void SetOwnFailure(Exception exception) => _failure = exception;

        public override void Complete()
        {
            if (_failure is null)
            {
                _completion.TrySetResult(_result!);
            }
            else
            {
                _completion.TrySetException(_failure);
            }
        }

        public override void Fail(Exception exception) => _completion.TrySetException(exception);

        protected override void Cancel(CancellationToken token) => _completion.TrySetCanceled(token);
    }
}

/// <summary>Group-commit counters (see <see cref="SqliteDatabase.Statistics"/>).</summary>
internal readonly record struct WriteStatistics(long Transactions, long Writes, TimeSpan Executing, TimeSpan Committing,
    TimeSpan Queued, TimeSpan Answered, long WalPages);

/// <summary>
/// The part of a write that need not hold the writer (<see cref="SqliteDatabase.WriteAsync{T}(Func{SqliteConnection, SqliteTransaction, Task{T}}, IWritePreparation?, CancellationToken)"/>):
/// an append's timestamp is taken in queue order, its signature computed while it waits.
/// </summary>
internal interface IWritePreparation
{
    /// <summary>
    /// Runs once, as the write is queued, under the lock that orders the queue (without group commit, inside the gate
    /// that runs writes one at a time). Keep it short (a clock read).
    /// </summary>
    void OnQueued();

    /// <summary>
    /// Runs after <see cref="OnQueued"/>, before the work: on the caller's thread, and on the writer's if the writer
    /// reaches the write first, possibly at the same time. Must be idempotent and safe to run concurrently.
    /// </summary>
    void Prepare();
}
