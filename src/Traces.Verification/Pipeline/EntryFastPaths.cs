using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;

namespace Traces.Verification.Pipeline;

/// <summary>
/// Allocation-free versions of per-entry steps that run once per entry on the reader thread, where they compete with
/// the signature workers for the same cores (the benchmark's target is ≥ 85% of the raw Ed25519 rate, so every
/// microsecond of reader work per entry counts against a ~40 µs signature check). Each fast path only ever
/// <em>accepts</em> what it can prove valid and falls back to the reference implementation otherwise, so verdicts
/// and findings are unchanged.
/// </summary>
internal sealed class EntryFastPaths
{
    // {"event_id":"…","event_type":"…","ingested_at":"…","payload_hash":"sha256:…","v":"traces/v1"} (EntryHasher.ContentPreimage)
    private const int MaxStackPreimage = 512;

    // The canonical form of the payload is written into this reused buffer. Not thread-safe: one instance per session,
    // used on the reader thread only.
    private readonly ArrayBufferWriter<byte> _canonical = new(1024);

    /// <summary>
    /// <see cref="EntryHasher.TryComputePayloadHash"/> writing the canonical form into a reused buffer and hashing it
    /// with the reused context: same canonical bytes (both go through <see cref="JsonCanonicalizer.TryWrite(JsonElement, IBufferWriter{byte}, CanonicalizationLimits?)"/>), same errors.
    /// </summary>
    public bool TryComputePayloadHash(JsonElement payload, out Digest payloadHash, out CanonicalizationError? error, CanonicalizationLimits limits)
    {
        _canonical.ResetWrittenCount();
        error = JsonCanonicalizer.TryWrite(payload, _canonical, limits);
        if (error is not null)
        {
            payloadHash = default;
            ShrinkIfLarge();
            return false;
        }

        payloadHash = Digest.Compute(_canonical.WrittenSpan);
        ShrinkIfLarge();
        return true;
    }

    // A huge payload must not pin a huge scratch buffer for the rest of the bundle.
    private void ShrinkIfLarge()
    {
        if (_canonical.Capacity > 1024 * 1024)
        {
            _canonical.Clear();
        }
    }

    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// <see cref="Digest.TryParse"/> with a vectorized character check and the hex decoded on the stack: the same
    /// strings are accepted (<c>sha256:</c> + exactly 64 lowercase hex digits) and give the same digest.
    /// </summary>
    /// <summary>The digest the stream reader decoded (<paramref name="decoded"/>), else <paramref name="text"/> parsed.</summary>
    public static bool TryParseDigest(Digest? decoded, string? text, out Digest digest)
    {
        if (decoded is { } known)
        {
            digest = known;
            return true;
        }

        return TryParseDigest(text, out digest);
    }

    public static bool TryParseDigest([NotNullWhen(true)] string? text, out Digest digest)
    {
        digest = default;
        if (text is null || text.Length != Digest.StringLength || !text.StartsWith(Digest.Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var hex = text.AsSpan(Digest.Prefix.Length);
        if (hex.ContainsAnyExcept(s_lowerHex))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Digest.Length];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done || written != Digest.Length)
        {
            return false;
        }

        digest = Digest.FromBytes(bytes);
        return true;
    }

    /// <summary>
    /// <see cref="TraceTimestamp.IsCanonical"/> without DateTime.TryParseExact for the usual well-formed value:
    /// <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c> with ASCII digits, a real calendar date (year 1–9999), hour &lt; 24,
    /// minute and second &lt; 60. Anything else goes to the reference check.
    /// </summary>
    public static bool IsCanonicalTimestamp([NotNullWhen(true)] string? text)
    {
        if (text is { Length: 27 } t
            && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' && t[19] == '.' && t[26] == 'Z'
            && Digits(t, 0, 4, out var year) && Digits(t, 5, 2, out var month) && Digits(t, 8, 2, out var day)
            && Digits(t, 11, 2, out var hour) && Digits(t, 14, 2, out var minute) && Digits(t, 17, 2, out var second)
            && Digits(t, 20, 6, out _)
            && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && hour < 24 && minute < 60 && second < 60)
        {
            return true;
        }

        return TraceTimestamp.IsCanonical(text);
    }

    private static bool Digits(string text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = text[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = value * 10 + d;
        }

        return true;
    }

    /// <summary>
    /// The content hash (proof-format §4.2) of fields already validated by the caller. Writes the same bytes as
    /// <see cref="EntryHasher.ContentPreimage"/> (through the same template) on the stack instead of an array; the
    /// payload hash's text is its one spelling, <c>sha256:</c> and lowercase hex (§2.1), as <c>payloadHash.ToString()</c>.
    /// </summary>
    public Digest ContentHash(string eventId, string eventType, string ingestedAt, Digest payloadHash)
    {
        Span<char> payloadHashText = stackalloc char[Digest.StringLength];
        Digest.Prefix.CopyTo(payloadHashText);
        Convert.TryToHexStringLower(payloadHash.Bytes, payloadHashText[Digest.Prefix.Length..], out _);
        if (EntryHasher.ContentPreimageLength(eventId, eventType, ingestedAt, payloadHashText) > MaxStackPreimage)
        {
            return Digest.Compute(EntryHasher.ContentPreimage(eventId, eventType, ingestedAt, payloadHash));
        }

        Span<byte> buffer = stackalloc byte[MaxStackPreimage];
        var length = EntryHasher.WriteContentPreimage(buffer, eventId, eventType, ingestedAt, payloadHashText);
        return Digest.Compute(buffer[..length]);
    }
}
