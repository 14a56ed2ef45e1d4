namespace Traces.Client.Http;

/// <summary>The keys the client makes for its <c>POST</c>s (docs/resilience.md, "Idempotency keys").</summary>
internal static class IdempotencyKeys
{
    /// <summary>
    /// A version 7 UUID as 32 lowercase hex digits: 48 bits of Unix milliseconds, then 74 random bits
    /// (<see cref="Guid.CreateVersion7()"/>, RFC 9562 §5.7). Unique as a random GUID is, and time-ordered, so a server
    /// that keeps its keys in a B-tree (the reference server's idempotency table) adds each new one at the end of its
    /// index instead of at a random page: about one page fewer written, and fsynced, per append (benchmarks/README.md,
    /// group commit). The time is the client's clock, to the millisecond; the key is sent only to the API it is for.
    /// </summary>
    public static string New() => Guid.CreateVersion7().ToString("N");
}
