namespace Traces.LocalServer;

/// <summary>Options for <see cref="LocalTracesServer.StartAsync"/>.</summary>
public sealed class LocalTracesServerOptions
{
    /// <summary>The default request body limit: 1 MiB (docs/api.md "Limits").</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>
    /// Where the database, signing keys and default API key live. <c>null</c> (the default) runs ephemerally: a fresh
    /// temporary directory that is deleted when the server is disposed.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The URL(s) to listen on, separated by <c>;</c>. Default <c>http://127.0.0.1:0</c> (a free loopback port).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>Allow listening on non-loopback addresses. Off by default: this is a development server.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>
    /// The default tenant's API key. <c>null</c> generates one, which is stored in the data directory and reused on
    /// the next start.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The tenant of <see cref="ApiKey"/>. Default <c>default</c>.</summary>
    public string DefaultTenantId { get; set; } = "default";

    /// <summary>More API keys, each mapped to its tenant id (several keys may share a tenant).</summary>
    public IDictionary<string, string> AdditionalApiKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The largest accepted request body in bytes; larger ones are <c>413 payload_too_large</c>.</summary>
    public long MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>Requests per <see cref="RateLimitWindow"/> per API key; <c>null</c> (the default) disables rate limiting.</summary>
    public int? RateLimitPermits { get; set; }

    /// <summary>The rate-limit window. Default one second.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether each commit is fsynced (SQLite <c>synchronous=FULL</c>). Default: on with a <see cref="DataDirectory"/>,
    /// off for an ephemeral server, whose data is discarded anyway.
    /// </summary>
    public bool? DurableWrites { get; set; }

    /// <summary>
    /// Ephemeral servers only: generate this server's own RSA-4096 certificate key (in the background, in memory only)
    /// instead of using the one that all ephemeral servers of the process share. Default <c>false</c>: a test suite
    /// pays for one RSA key, not one per server (docs/local-server.md, "Keys"). Ignored with a <see cref="DataDirectory"/>,
    /// whose key is always its own and kept on disk.
    /// </summary>
    public bool UniqueCertificateKey { get; set; }

    /// <summary>Test hook: the seal worker waits this long before sealing each trace. Default zero.</summary>
    public TimeSpan SealDelay { get; set; }

    /// <summary>
    /// How long a database command waits for another connection's lock before it fails with <c>SQLITE_BUSY</c>
    /// (whole seconds; Microsoft.Data.Sqlite's command timeout). Default 30. Internal: tests shorten it to meet a busy
    /// database quickly.
    /// </summary>
    internal int DatabaseBusyTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Benchmark baseline only: <c>false</c> commits each write alone, one at a time (with <see cref="DurableWrites"/>,
    /// one <c>synchronous=FULL</c> fsync per write), as the server did before group commit. Default <c>true</c>.
    /// Internal: <c>--bench-appends</c> measures group commit against it in the same run.
    /// </summary>
    internal bool GroupCommit { get; set; } = true;

    /// <summary>The minimum level logged to the console. Default <see cref="LogLevel.Warning"/>.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;
}
