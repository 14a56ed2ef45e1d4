using System.Text;
using System.Text.Json;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Hashing;

/// <summary>
/// The two digests of an entry (proof-format §4):
/// <c>payload_hash = SHA-256(JCS(payload))</c> and
/// <c>content_hash = SHA-256(JCS({"v":"traces/v1","event_id","event_type","ingested_at","payload_hash"}))</c>.
/// </summary>
public static class EntryHasher
{
    /// <summary>The format version bound into every content hash and certificate.</summary>
    public const string FormatVersion = "traces/v1";

    /// <summary>
    /// Computes <c>payload_hash</c>. Returns false with the canonicalization error when the payload is not I-JSON
    /// (duplicate names, lone surrogates, unsafe integers, non-finite numbers) or exceeds <paramref name="limits"/>.
    /// </summary>
    public static bool TryComputePayloadHash(JsonElement payload, out Digest payloadHash, out CanonicalizationError? error,
        CanonicalizationLimits? limits = null)
    {
        var result = JsonCanonicalizer.Canonicalize(payload, limits);
        if (!result.IsSuccess)
        {
            payloadHash = default;
            error = result.Error;
            return false;
        }

        payloadHash = Digest.Compute(result.Utf8Bytes);
        error = null;
        return true;
    }

    /// <summary>Computes <c>payload_hash</c>, throwing <see cref="ArgumentException"/> when the payload is not I-JSON.</summary>
    public static Digest ComputePayloadHash(JsonElement payload) =>
        TryComputePayloadHash(payload, out var digest, out var error)
            ? digest
            : throw new ArgumentException($"The payload is not I-JSON: {error!.Message} (at '{error.Path}').", nameof(payload));

    /// <summary>
    /// Computes <c>content_hash</c>. Because identifiers, event types, timestamps and digests are restricted to ASCII
    /// characters that JSON never escapes (§3.1), the RFC 8785 form of the preimage is exactly
    /// <c>{"event_id":"…","event_type":"…","ingested_at":"…","payload_hash":"sha256:…","v":"traces/v1"}</c>
    /// (members in UTF-16 code-unit order, RFC 8785 §3.2.3).
    /// </summary>
    /// <exception cref="ArgumentException">A field is outside its character set or format.</exception>
    public static Digest ComputeContentHash(string eventId, string eventType, string ingestedAt, Digest payloadHash)
    {
        if (!TraceIdentifiers.IsValidId(eventId))
        {
            throw new ArgumentException($"'{eventId}' is not a valid event id (proof-format §3.1).", nameof(eventId));
        }

        if (!TraceIdentifiers.IsValidEventType(eventType))
        {
            throw new ArgumentException($"'{eventType}' is not a valid event type (proof-format §3.1).", nameof(eventType));
        }

        if (!TraceTimestamp.IsCanonical(ingestedAt))
        {
            throw new ArgumentException($"'{ingestedAt}' is not a canonical timestamp (proof-format §3.2).", nameof(ingestedAt));
        }

        return Digest.Compute(ContentPreimage(eventId, eventType, ingestedAt, payloadHash));
    }

    /// <summary>The canonical JSON bytes whose SHA-256 is the content hash. Inputs must already be validated.</summary>
    internal static byte[] ContentPreimage(string eventId, string eventType, string ingestedAt, Digest payloadHash)
    {
        var payloadHashText = payloadHash.ToString();
        var preimage = new byte[ContentPreimageLength(eventId, eventType, ingestedAt, payloadHashText)];
        WriteContentPreimage(preimage, eventId, eventType, ingestedAt, payloadHashText);
        return preimage;
    }

    /// <summary>The length in bytes of the content preimage of these (validated, ASCII) fields.</summary>
    internal static int ContentPreimageLength(string eventId, string eventType, string ingestedAt, ReadOnlySpan<char> payloadHashText) =>
        PreimageStart.Length + eventId.Length + AfterEventId.Length + eventType.Length + AfterEventType.Length
        + ingestedAt.Length + AfterIngestedAt.Length + payloadHashText.Length + PreimageEnd.Length;

    /// <summary>
    /// Writes the content preimage into <paramref name="destination"/> (at least <see cref="ContentPreimageLength"/>
    /// bytes) and returns its length: the one place the §4.2 template is spelled out. Callers pass only validated
    /// identifiers, timestamps and digests, which are ASCII that JSON never escapes (§3.1).
    /// </summary>
    internal static int WriteContentPreimage(Span<byte> destination, string eventId, string eventType, string ingestedAt, ReadOnlySpan<char> payloadHashText)
    {
        var at = 0;
        Append(destination, ref at, PreimageStart);
        at += Encoding.ASCII.GetBytes(eventId, destination[at..]);
        Append(destination, ref at, AfterEventId);
        at += Encoding.ASCII.GetBytes(eventType, destination[at..]);
        Append(destination, ref at, AfterEventType);
        at += Encoding.ASCII.GetBytes(ingestedAt, destination[at..]);
        Append(destination, ref at, AfterIngestedAt);
        at += Encoding.ASCII.GetBytes(payloadHashText, destination[at..]);
        Append(destination, ref at, PreimageEnd);
        return at;
    }

    // Members in UTF-16 code-unit order (RFC 8785 §3.2.3): event_id, event_type, ingested_at, payload_hash, v.
    private static ReadOnlySpan<byte> PreimageStart => "{\"event_id\":\""u8;
    private static ReadOnlySpan<byte> AfterEventId => "\",\"event_type\":\""u8;
    private static ReadOnlySpan<byte> AfterEventType => "\",\"ingested_at\":\""u8;
    private static ReadOnlySpan<byte> AfterIngestedAt => "\",\"payload_hash\":\""u8;
    private static ReadOnlySpan<byte> PreimageEnd => "\",\"v\":\"traces/v1\"}"u8;

    private static void Append(Span<byte> destination, ref int at, ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(destination[at..]);
        at += utf8.Length;
    }
}
