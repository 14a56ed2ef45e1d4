namespace Traces.Cli.Infrastructure;

/// <summary>The process exit codes (docs/cli.md). Stable: scripts depend on them.</summary>
internal static class ExitCodes
{
    /// <summary>Verification: <c>Valid</c>. Other commands: success.</summary>
    public const int Valid = 0;

    /// <summary>Verification: <c>Invalid</c> (at least one check failed, or the document could not be read).</summary>
    public const int Invalid = 1;

    /// <summary>Verification: <c>Untrusted</c> (consistent, but some signer is not pinned by <c>--trust</c>).</summary>
    public const int Untrusted = 2;

    /// <summary>Unusable input: bad arguments, a missing file, an unreadable trust key or document, no endpoint.</summary>
    public const int UnusableInput = 3;

    /// <summary>The service answered with an error or could not be reached (its error code and message are printed).</summary>
    public const int ServiceError = 4;

    /// <summary>A native library the tool needs (libsodium, e_sqlite3) could not be loaded: an incomplete installation.</summary>
    public const int NativeLibraryMissing = 5;

    /// <summary>Cancelled with Ctrl+C.</summary>
    public const int Cancelled = 130;
}
