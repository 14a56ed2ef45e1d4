using Microsoft.Data.Sqlite;

namespace Traces.LocalServer.Sealing;

/// <summary>
/// Tells a fault of the environment, which goes away by itself (a busy database, an I/O hiccup), from a fault of the
/// trace, which will not. Only the first kind is worth retrying; only the second may mark a seal <c>failed</c>.
/// </summary>
internal static class TransientFaults
{
    // Primary result codes, https://www.sqlite.org/rescode.html. Each describes the moment, not the data: another
    // connection holds a lock, memory or disk space ran short, a read or write failed, a file could not be opened (out
    // of descriptors), the database was made read-only, or the WAL locking protocol lost a race.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMem = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;

    public static bool IsTransient(Exception exception) => exception switch
    {
        // Extended codes (e.g. SQLITE_BUSY_SNAPSHOT = 517) carry the primary code in their low byte.
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked or SqliteNoMem or SqliteReadOnly
            or SqliteIoErr or SqliteFull or SqliteCantOpen or SqliteProtocol,
        IOException or TimeoutException => true,
        _ => false,
    };
}
