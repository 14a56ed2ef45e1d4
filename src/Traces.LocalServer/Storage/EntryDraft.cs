using Traces.LocalServer.Infrastructure;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Signing;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Storage;

/// <summary>
/// What an appended entry's signature covers, made before the writer takes it (<see cref="IWritePreparation"/>): its
/// id, its <c>ingested_at</c> (taken as it is queued, so time order is the order the writer gives indices in), the
/// content hash and the Ed25519 signature (proof-format §4). None of it depends on the chain, which the writer links.
/// The signature is about a quarter of an append's time in the writer; here it runs while the batch ahead commits.
/// </summary>
internal sealed class EntryDraft(ServerKeys keys, MonotonicClock clock, string eventType, Digest payloadHash) : IWritePreparation
{
    private DateTimeOffset _ingestedAt;
    private Signed? _signed;

    public string EventId { get; } = Ids.NewEventId();

    /// <summary>The signed content; valid once <see cref="Prepare"/> has run.</summary>
    public Signed Content => _signed ?? throw new InvalidOperationException("The entry draft was not prepared.");

    public void OnQueued() => _ingestedAt = clock.Now();

    public void Prepare()
    {
        if (Volatile.Read(ref _signed) is not null)
        {
            return;
        }

        // Deterministic (RFC 8032 Ed25519 signs without randomness): a caller and the writer that race here compute
        // the same values, and the first to publish wins.
        var ingestedAt = TraceTimestamp.ToCanonicalString(_ingestedAt);
        var contentHash = ProofPrimitives.ContentHash(EventId, eventType, ingestedAt, payloadHash);
        Interlocked.CompareExchange(ref _signed, new Signed(ingestedAt, contentHash, keys.SignEntry(contentHash)), null);
    }

    internal sealed record Signed(string IngestedAt, Digest ContentHash, string Signature);
}
