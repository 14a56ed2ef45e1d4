using Microsoft.Data.Sqlite;
using Traces.LocalServer.Api;

namespace Traces.LocalServer.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> of the current request, once <see cref="IdempotencyMiddleware"/> has found it new.
/// A write endpoint records its response through <see cref="RecordAsync"/> inside its own transaction, so the
/// entry and the record of having created it commit together: a crash between "created" and "remembered" cannot
/// happen, and a retry after any crash either replays or executes for the first time.
/// </summary>
internal sealed class IdempotencyScope(string scope, string key, string fingerprint, TimeProvider time)
{
    private const string ItemKey = "traces.idempotency";

    public bool Recorded { get; private set; }

    public static IdempotencyScope? Find(HttpContext context) => context.Items[ItemKey] as IdempotencyScope;

    public void Attach(HttpContext context) => context.Items[ItemKey] = this;

    public async Task RecordAsync(SqliteConnection connection, SqliteTransaction transaction, JsonResponse response)
    {
        await IdempotencyStore.InsertAsync(connection, transaction, scope, key,
            new StoredResponse(fingerprint, response.Status, JsonResponse.ContentType, response.Location, response.Body), time.GetUtcNow());
        Recorded = true;
    }
}

/// <summary>
/// Renders a write endpoint's response inside the write transaction (and records it for idempotency there).
/// Pass <see cref="WithinTransactionAsync"/> to the store; return <see cref="Response"/> afterwards.
/// </summary>
internal sealed class TransactionalResponse<T>(HttpContext context, Func<T, JsonResponse> render)
{
    public JsonResponse Response { get; private set; } = null!;

    public async Task WithinTransactionAsync(SqliteConnection connection, SqliteTransaction transaction, T record)
    {
        Response = render(record);
        if (IdempotencyScope.Find(context) is { } scope)
        {
            await scope.RecordAsync(connection, transaction, Response);
        }
    }
}
