namespace Traces.LocalServer;

/// <summary>Resolved runtime settings (from <see cref="LocalTracesServerOptions"/>), shared with internal services.</summary>
internal sealed record ServerSettings(
    string DataDirectory,
    bool Ephemeral,
    bool DurableWrites,
    long MaxRequestBodyBytes,
    int? RateLimitPermits,
    TimeSpan RateLimitWindow,
    TimeSpan SealDelay,
    int DatabaseBusyTimeoutSeconds);
