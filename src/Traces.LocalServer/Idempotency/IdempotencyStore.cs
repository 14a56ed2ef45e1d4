using Traces.LocalServer.Infrastructure;
using Traces.LocalServer.Storage;

namespace Traces.LocalServer.Idempotency;

/// <summary>A stored first response to an <c>Idempotency-Key</c>.</summary>
internal sealed record StoredResponse(string Fingerprint, int Status, string? ContentType, string? Location, byte[] Body);

/// <summary>
/// Idempotency records in SQLite, so a retry after a server restart still replays. Scoped by API key: two callers
/// can use the same key string independently. Records expire after 24 hours (docs/api.md "Idempotency").
/// </summary>
internal sealed class IdempotencyStore(SqliteDatabase database, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public Task<StoredResponse?> FindAsync(string scope, string key, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var since = Since();
        // On every POST with a key (the SDK sends one with each): a kept reader connection, the SELECT prepared once.
        return Task.FromResult(database.Read(connection =>
        {
            using var reader = SqliteDatabase.Reused(connection, null,
                "SELECT fingerprint, status, content_type, location, body FROM idempotency WHERE scope = $scope AND key = $key AND created_at >= $since",
                ("$scope", scope), ("$key", key), ("$since", since)).ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new StoredResponse(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), (byte[])reader.GetValue(4));
        }));
    }

    public Task SaveAsync(string scope, string key, StoredResponse response) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await InsertAsync(connection, transaction, scope, key, response, time.GetUtcNow());
            return 0;
        }, CancellationToken.None);

    /// <summary>Inserts a record in the caller's transaction (see <see cref="IdempotencyScope"/>).</summary>
    public static async Task InsertAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction,
        string scope, string key, StoredResponse response, DateTimeOffset now)
    {
        // REPLACE: an expired record with the same key is superseded. Reused: one per append on the writer's connection.
        var command = SqliteDatabase.Reused(connection, transaction,
            "INSERT OR REPLACE INTO idempotency (scope, key, fingerprint, status, content_type, location, body, created_at) " +
            "VALUES ($scope, $key, $fp, $status, $type, $location, $body, $at)",
            ("$scope", scope), ("$key", key), ("$fp", response.Fingerprint), ("$status", response.Status),
            ("$type", response.ContentType), ("$location", response.Location), ("$body", response.Body),
            ("$at", Verification.Hashing.TraceTimestamp.ToCanonicalString(now)));
        await command.ExecuteNonQueryAsync();
    }

    public Task PurgeExpiredAsync(CancellationToken ct) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            using var command = SqliteDatabase.Command(connection, transaction,
                "DELETE FROM idempotency WHERE created_at < $since", ("$since", Since()));
            return await command.ExecuteNonQueryAsync();
        }, ct);

    private string Since() => Verification.Hashing.TraceTimestamp.ToCanonicalString(time.GetUtcNow() - Retention);
}
