using System.Text.Json;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;

namespace Traces.Verification.Bundles;

/// <summary>
/// Reads one entry (or the seal event) straight off a <see cref="Utf8JsonReader"/>, the one way the stream reads
/// entries, so that every rule of proof-format §9 and §10.1 step 1 is applied member by member and a broken member
/// never hides the rest of the entry (§10.1: every check is performed):
/// <list type="bullet">
/// <item>a member written twice is <c>malformed</c> and its <em>last</em> value is used (§9, as ECMAScript's
/// <c>JSON.parse</c> and most readers do); the other members are checked as usual;</item>
/// <item>a member of the wrong JSON type (an <c>index</c> written <c>4.0</c> or <c>7e0</c>, an <c>event_id</c> that is
/// a number) is read as missing, which the session reports as <c>malformed</c> (a <c>public_key</c> or
/// <c>previous_chain_hash</c> of the wrong type, whose absence or null would be a value, is flagged here);</item>
/// <item><c>payload</c> is any JSON value: <c>null</c>, <c>false</c>, <c>0</c> and <c>""</c> are payloads, hashed as
/// such (§9.1: only an absent member is withheld);</item>
/// <item>unknown members are kept for a <c>malformed</c> finding.</item>
/// </list>
/// The reader thread does this once per entry while the signature workers share its cores.
/// </summary>
internal static class BundleEntryFastReader
{
    /// <summary>
    /// Reads an entry of <c>events</c> (<paramref name="chained"/>) or the seal event. False only when the text is not a
    /// JSON object (the caller reports it). <paramref name="duplicate"/> is the first member name written twice.
    /// </summary>
    /// <remarks>
    /// <paramref name="recent"/> holds strings of the entries read before (the stream reader's), to reuse instead of
    /// building the same string again: consecutive entries are nearly always signed by the same key (<c>key_id</c>,
    /// <c>public_key</c>), and an entry's <c>previous_chain_hash</c> is the <c>chain_hash</c> before it. Null to build
    /// every string. With <paramref name="payloads"/>, an entry of <c>events</c> whose payload it can canonicalize keeps
    /// the payload's hash instead of the payload (<see cref="SignedEntry.ReadPayloadHash"/>); null to keep every payload.
    /// </remarks>
    public static bool TryRead(ReadOnlySpan<byte> json, int maxDepth, bool chained, out SignedEntry? entry, out TextFormIssues form,
        out string? duplicate, RecentStrings? recent = null, PayloadHasher? payloads = null)
    {
        entry = null;
        form = TextFormIssues.None;
        duplicate = null;
        try
        {
            return TryReadCore(json, isFinalBlock: true, prefix: false, maxDepth, chained, out entry, out form, out duplicate, recent, payloads, out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads an entry of <c>events</c> at the start of <paramref name="buffer"/>, which may hold more after it (the next
    /// entries) or end before it does (<paramref name="isFinalBlock"/> false: more bytes may come). True, with the
    /// entry's <paramref name="length"/> in bytes, only when a whole JSON object was read; then the entry is the one
    /// <see cref="TryRead(ReadOnlySpan{byte}, int, bool, out SignedEntry?, out TextFormIssues, out string?, RecentStrings?, PayloadHasher?)"/>
    /// reads from those <paramref name="length"/> bytes. False for anything else (incomplete, invalid, not an object),
    /// and the caller reads the entry the reference way, which tells those apart: this saves the stream reader a first
    /// pass over each entry to find where it ends. The caller still checks the UTF-8 and the size limit.
    /// </summary>
    public static bool TryReadPrefix(ReadOnlySpan<byte> buffer, bool isFinalBlock, int maxDepth, RecentStrings? recent, out int length,
        out SignedEntry? entry, out TextFormIssues form, out string? duplicate, PayloadHasher? payloads = null)
    {
        entry = null;
        form = TextFormIssues.None;
        duplicate = null;
        length = 0;
        try
        {
            return TryReadCore(buffer, isFinalBlock, prefix: true, maxDepth, chained: true, out entry, out form, out duplicate, recent, payloads, out length);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            entry = null;
            return false;
        }
    }

    /// <summary>Reads an entry of <c>events</c> under the default depth (tests and tools).</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out BundleEntry? entry, out TextFormIssues form)
    {
        var read = TryRead(json, VerificationOptions.Default.MaxDepth, chained: true, out var signed, out form, out _);
        entry = signed as BundleEntry;
        return read;
    }

    // prefix: the object starts json and may be followed by more bytes (or json may end inside it, when isFinalBlock is
    // false); the read stops at its closing brace and length says where that is.
    private static bool TryReadCore(ReadOnlySpan<byte> json, bool isFinalBlock, bool prefix, int maxDepth, bool chained, out SignedEntry? entry,
        out TextFormIssues form, out string? duplicate, RecentStrings? recent, PayloadHasher? payloads, out int length)
    {
        entry = null;
        form = TextFormIssues.None;
        duplicate = null;
        length = 0;
        // The entry is level 1; a payload may nest maxDepth levels below it (proof-format §10.5).
        var depth = maxDepth >= int.MaxValue - 1 ? int.MaxValue : maxDepth + 1;
        var reader = new Utf8JsonReader(json, isFinalBlock, new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = false,
            CommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = depth,
        }));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        long? index = null;
        string? eventId = null, eventType = null, payloadHash = null, contentHash = null, ingestedAt = null;
        string? keyId = null, publicKey = null, signature = null, previousChainHash = null, chainHash = null, timestamp = null;
        JsonElement? payload = null;
        Digest? payloadRead = null, payloadHashDigest = null, contentHashDigest = null;
        byte[]? signatureBytes = null;
        Dictionary<string, JsonElement>? unknown = null;
        ReadOnlySpan<byte> chainHashUtf8 = default;
        var seen = 0;
        var publicKeyNull = false;
        var publicKeyWrongType = false;
        var previousWrongType = false;
        var timestampNotString = false;

        // Read() is false only where the bytes end (a final block ends only after a whole value, or it throws).
        var closed = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                closed = reader.TokenType == JsonTokenType.EndObject;
                break;
            }

            var member = reader.ValueIsEscaped ? Member(Unescape(ref reader)) : Member(reader.ValueSpan);
            string? unknownName = null;
            if (member < 0 || (!chained && member is 0 or 10 or 11))
            {
                unknownName = NameOf(ref reader);
                member = -1;
            }
            else if ((seen & (1 << member)) != 0)
            {
                duplicate ??= s_names[member];
            }

            if (member >= 0)
            {
                seen |= 1 << member;
            }

            if (!reader.Read())
            {
                return false;
            }

            switch (member)
            {
                case -1:
                    unknown ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    if (!unknown.TryAdd(unknownName!, JsonElement.ParseValue(ref reader)))
                    {
                        duplicate ??= unknownName;
                    }

                    break;
                case 0:
                    // An integer literal (§9): 4.0, 7e0 and a string are not; -0 is flagged.
                    index = reader.TokenType == JsonTokenType.Number && IsIntegerLiteral(ref reader) && reader.TryGetInt64(out var value)
                        ? value
                        : null;
                    if (index is not null && TextForm.IsNegativeZero(ref reader))
                    {
                        form |= TextFormIssues.IndexNegativeZero;
                    }

                    if (!reader.TrySkip())
                    {
                        return false;
                    }

                    break;
                case 3:
                    // Any JSON value is a payload, null included. An entry of events whose payload the streaming
                    // canonicalizer settles keeps only the payload's hash; any other payload is kept as its own copy (the
                    // entry buffer is reused), duplicates kept for the canonicalizer to reject as payload_hash_mismatch
                    // (§10.1 step 2.1). The last value written counts.
                    if (chained && payloads is not null && payloads.TryHashPayload(ref reader, maxDepth, out var hashed))
                    {
                        payloadRead = hashed;
                        payload = null;
                    }
                    else
                    {
                        payload = JsonElement.ParseValue(ref reader);
                        payloadRead = null;
                    }

                    break;
                default:
                    string? text = null;
                    Digest? digest = null;
                    byte[]? signatureRaw = null;
                    var isNull = reader.TokenType == JsonTokenType.Null;
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        // With the stream reader's context, a digest or signature in form is decoded from its UTF-8
                        // (SignedEntry builds the text only if it is asked for); anything else is read as text.
                        if (payloads is not null && member is 4 or 5 && TryDecodeDigest(ref reader, out var decoded))
                        {
                            digest = decoded;
                        }
                        else if (payloads is not null && member == 9 && TryDecodeSignature(ref reader, out var decodedSignature))
                        {
                            signatureRaw = decodedSignature;
                        }
                        else
                        {
                            text = recent is not null && member is 7 or 8 or 10 ? recent.Reuse(member, ref reader) : StringOrNull(ref reader);
                        }
                    }
                    else if (!reader.TrySkip())
                    {
                        return false;
                    }

                    switch (member)
                    {
                        case 1: eventId = text; break;
                        case 2: eventType = text; break;
                        case 4:
                            payloadHash = text;
                            payloadHashDigest = digest;
                            break;
                        case 5:
                            contentHash = text;
                            contentHashDigest = digest;
                            break;
                        case 6: ingestedAt = text; break;
                        case 7: keyId = text; break;
                        case 8:
                            publicKey = text;
                            publicKeyNull = isNull;
                            publicKeyWrongType = !isNull && text is null;
                            break;
                        case 9:
                            signature = text;
                            signatureBytes = signatureRaw;
                            break;
                        case 10:
                            previousChainHash = text;
                            previousWrongType = !isNull && text is null;
                            break;
                        case 12:
                            // Informative (proof-format §9.5): a string, never null; its value is never used.
                            timestamp = text;
                            timestampNotString = text is null;
                            break;
                        default:
                            chainHash = text;
                            // The next entry's previous_chain_hash, remembered once this entry is read (below); the last
                            // value written counts.
                            chainHashUtf8 = recent is not null && text is not null && !reader.ValueIsEscaped && !reader.HasValueSequence
                                ? reader.ValueSpan
                                : default;
                            break;
                    }

                    break;
            }
        }

        // As a whole text, nothing may follow the object; as a prefix, what follows is the caller's.
        if (!closed || (!prefix && reader.Read()))
        {
            return false;
        }

        length = (int)reader.BytesConsumed;

        if (recent is not null && chainHash is not null && !chainHashUtf8.IsEmpty)
        {
            recent.Remember(10, chainHashUtf8, chainHash);
        }

        if (publicKeyNull || publicKeyWrongType)
        {
            form |= TextFormIssues.PublicKeyNull;
        }

        if (timestampNotString)
        {
            form |= TextFormIssues.TimestampNotString;
        }

        if (previousWrongType)
        {
            form |= TextFormIssues.PreviousChainHashNotString;
        }

        if (chained && (seen & (1 << 10)) == 0)
        {
            form |= TextFormIssues.PreviousChainHashAbsent;
        }

        entry = chained
            ? new BundleEntry
            {
                Index = index,
                EventId = eventId,
                EventType = eventType,
                Payload = payload,
                ReadPayloadHash = payloadRead,
                PayloadHash = payloadHash,
                PayloadHashDigest = payloadHashDigest,
                ContentHash = contentHash,
                ContentHashDigest = contentHashDigest,
                IngestedAt = ingestedAt,
                KeyId = keyId,
                PublicKey = publicKey,
                Signature = signature,
                SignatureBytes = signatureBytes,
                PreviousChainHash = previousChainHash,
                ChainHash = chainHash,
                Timestamp = timestamp,
                AdditionalProperties = unknown,
            }
            : new SealEvent
            {
                EventId = eventId,
                EventType = eventType,
                Payload = payload,
                PayloadHash = payloadHash,
                ContentHash = contentHash,
                IngestedAt = ingestedAt,
                KeyId = keyId,
                PublicKey = publicKey,
                Signature = signature,
                Timestamp = timestamp,
                AdditionalProperties = unknown,
            };
        return true;
    }

    private static readonly System.Buffers.SearchValues<byte> s_lowerHex = System.Buffers.SearchValues.Create("0123456789abcdef"u8);

    /// <summary>
    /// A digest in form (proof-format §2.1: <c>sha256:</c> + 64 lowercase hex digits, written without escapes), decoded
    /// from the token's UTF-8: the value <see cref="Digest.TryParse"/> gives for its text. False for anything else.
    /// </summary>
    private static bool TryDecodeDigest(ref Utf8JsonReader reader, out Digest digest)
    {
        Span<byte> bytes = stackalloc byte[Digest.Length];
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && TryDecodePrefixedHex(reader.ValueSpan, "sha256:"u8, bytes))
        {
            digest = Digest.FromBytes(bytes);
            return true;
        }

        digest = default;
        return false;
    }

    /// <summary>A signature in form (§8.1: <c>ed25519:</c> + 128 lowercase hex digits, no escapes), decoded from its UTF-8.</summary>
    private static bool TryDecodeSignature(ref Utf8JsonReader reader, out byte[]? signature)
    {
        var bytes = new byte[64];
        signature = !reader.ValueIsEscaped && !reader.HasValueSequence && TryDecodePrefixedHex(reader.ValueSpan, "ed25519:"u8, bytes) ? bytes : null;
        return signature is not null;
    }

    private static bool TryDecodePrefixedHex(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> prefix, Span<byte> destination)
    {
        if (raw.Length != prefix.Length + (2 * destination.Length) || !raw.StartsWith(prefix))
        {
            return false;
        }

        var hex = raw[prefix.Length..];
        if (hex.ContainsAnyExcept(s_lowerHex))
        {
            return false;
        }

        // Lowercase only was checked above (§8.1); the vectorized decoder then reads every digit pair.
        return Convert.FromHexString(hex, destination, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == destination.Length;
    }

    /// <summary>A number token with neither fraction nor exponent (§2.2 rule 4's integer literal).</summary>
    private static bool IsIntegerLiteral(ref Utf8JsonReader reader) =>
        !reader.HasValueSequence && reader.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;

    /// <summary>The string, or null when it has no UTF-16 form (an escaped lone surrogate: §2.2 rule 3, out of form).</summary>
    private static string? StringOrNull(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The last strings read for <c>key_id</c> (7), <c>public_key</c> (8) and <c>chain_hash</c> (kept for the next
    /// entry's <c>previous_chain_hash</c>, 10), with their UTF-8 text. A value written without escapes whose bytes are
    /// those of the remembered string is that string (same bytes, same characters); anything else is read as usual.
    /// One instance per reader; not thread-safe.
    /// </summary>
    internal sealed class RecentStrings
    {
        // A value longer than this is read as usual and not remembered: the slots stay small.
        private const int MaxLength = 128;

        private readonly byte[][] _utf8 = [new byte[MaxLength], new byte[MaxLength], new byte[MaxLength]];
        private readonly int[] _lengths = new int[3];
        private readonly string?[] _strings = new string?[3];

        /// <summary>Hits: strings not built because the remembered one was reused (tests assert the reuse happens).</summary>
        public long Reused { get; private set; }

        /// <summary>The string token at the reader, reused when its raw bytes are the remembered ones.</summary>
        public string? Reuse(int member, ref Utf8JsonReader reader)
        {
            var slot = Slot(member);
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                var raw = reader.ValueSpan;
                if (_strings[slot] is { } known && raw.SequenceEqual(_utf8[slot].AsSpan(0, _lengths[slot])))
                {
                    Reused++;
                    return known;
                }

                var text = StringOrNull(ref reader);
                if (text is not null && member != 10)
                {
                    Remember(member, raw, text);
                }

                return text;
            }

            return StringOrNull(ref reader);
        }

        /// <summary>Remembers <paramref name="text"/>, read from the unescaped <paramref name="utf8"/>.</summary>
        public void Remember(int member, ReadOnlySpan<byte> utf8, string text)
        {
            var slot = Slot(member);
            if (utf8.Length > MaxLength)
            {
                _strings[slot] = null;
                return;
            }

            utf8.CopyTo(_utf8[slot]);
            _lengths[slot] = utf8.Length;
            _strings[slot] = text;
        }

        private static int Slot(int member) => member switch
        {
            7 => 0,
            8 => 1,
            _ => 2,
        };
    }

    /// <summary>
    /// Hashes the payloads of entries of <c>events</c> as they are read (the stream reader's): the entry then keeps
    /// <see cref="SignedEntry.ReadPayloadHash"/> instead of a <see cref="JsonDocument"/> of its payload. One instance per
    /// reader; not thread-safe.
    /// </summary>
    internal sealed class PayloadHasher
    {
        private readonly StreamingCanonicalizer _canonicalizer = new();
        private CanonicalizationLimits? _limits;

        /// <summary>Payloads hashed as they were read, without a <see cref="JsonDocument"/> (tests assert it happens).</summary>
        public long Hashed { get; private set; }

        /// <summary>
        /// SHA-256 of the RFC 8785 form of the payload at the reader, written straight from its tokens
        /// (<see cref="StreamingCanonicalizer"/>), with the session's limits (<see cref="VerificationOptions.MaxDepth"/>,
        /// the rest by default). False, with the reader where it was, for anything the streaming canonicalizer leaves to
        /// the reference (which then gives the error, or the same bytes).
        /// </summary>
        public bool TryHashPayload(ref Utf8JsonReader reader, int maxDepth, out Digest hash)
        {
            if (_limits is null || _limits.MaxDepth != maxDepth)
            {
                _limits = new CanonicalizationLimits { MaxDepth = maxDepth };
            }

            var start = reader;
            if (!_canonicalizer.TryWrite(ref reader, _limits))
            {
                reader = start;
                hash = default;
                return false;
            }

            hash = Digest.Compute(_canonicalizer.Written);
            _canonicalizer.Release();
            Hashed++;
            return true;
        }
    }

    /// <summary>
    /// A member name as text; an escaped lone surrogate (no UTF-16 form) reads as U+FFFD, so such a name is still a
    /// member, and never one of the defined ones.
    /// </summary>
    internal static string NameOf(ref Utf8JsonReader reader) => StringOrNull(ref reader) ?? "\uFFFD";

    private static ReadOnlySpan<byte> Unescape(ref Utf8JsonReader reader)
    {
        var buffer = new byte[reader.ValueSpan.Length];
        try
        {
            var written = reader.CopyString(buffer);
            return buffer.AsSpan(0, written);
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }

    private static readonly string[] s_names =
    [
        "index", "event_id", "event_type", "payload", "payload_hash", "content_hash", "ingested_at", "key_id", "public_key",
        "signature", "previous_chain_hash", "chain_hash", "timestamp",
    ];

    private static int Member(ReadOnlySpan<byte> name) => name switch
    {
        _ when name.SequenceEqual("index"u8) => 0,
        _ when name.SequenceEqual("event_id"u8) => 1,
        _ when name.SequenceEqual("event_type"u8) => 2,
        _ when name.SequenceEqual("payload"u8) => 3,
        _ when name.SequenceEqual("payload_hash"u8) => 4,
        _ when name.SequenceEqual("content_hash"u8) => 5,
        _ when name.SequenceEqual("ingested_at"u8) => 6,
        _ when name.SequenceEqual("key_id"u8) => 7,
        _ when name.SequenceEqual("public_key"u8) => 8,
        _ when name.SequenceEqual("signature"u8) => 9,
        _ when name.SequenceEqual("previous_chain_hash"u8) => 10,
        _ when name.SequenceEqual("chain_hash"u8) => 11,
        _ when name.SequenceEqual("timestamp"u8) => 12,
        _ => -1,
    };
}
