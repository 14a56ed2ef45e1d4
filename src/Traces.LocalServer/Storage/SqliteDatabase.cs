using Microsoft.Data.Sqlite;

namespace Traces.LocalServer.Storage;

/// <summary>
/// The SQLite file <c>&lt;data&gt;/traces.db</c> in WAL mode: readers never block the writer and a crash leaves the
/// database at the last committed transaction. All writes go through <see cref="WriteAsync{T}"/>, one at a time.
/// </summary>
internal sealed class SqliteDatabase
{
    public const string FileName = "traces.db";

    // One writer at a time. SQLite allows a single writer anyway; taking the gate in-process first means writers queue
    // here instead of spinning on SQLITE_BUSY, and it is what serializes appends to a trace: the index and previous
    // chain hash are read and the entry inserted under the gate, in one IMMEDIATE transaction.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _connectionString;
    private readonly string _synchronous;

    public SqliteDatabase(string dataDirectory, bool durable, int busyTimeoutSeconds)
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

        // FULL: in WAL mode a commit fsyncs the WAL, so an acknowledged entry survives power loss, not just a killed
        // process (NORMAL would only lose the last commits on power loss, but an audit log that forgets acknowledged
        // entries is the one failure it must not have). Ephemeral (test) databases are deleted on dispose: OFF.
        _synchronous = durable ? "FULL" : "OFF";
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous={_synchronous}; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>Creates the schema (idempotent) and switches the file to WAL, which is persistent.</summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + Schema.Sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs <paramref name="work"/> in an IMMEDIATE transaction under the write gate and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct = default)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            // Microsoft.Data.Sqlite begins non-deferred transactions with BEGIN IMMEDIATE: the write lock is taken up
            // front. Once the gate is entered the work runs to completion: a client disconnect must not roll back an
            // entry halfway, and the commit below is what makes the answer true.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
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
}
