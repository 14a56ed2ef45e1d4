using System.Text.Json;

namespace Traces.Verification.Bundles;

/// <summary>
/// Reads the common, well-formed entry (the 12 traces/v1 members, each once, unescaped names, strings or null,
/// an integer index, an object or array payload) straight off a <see cref="Utf8JsonReader"/>, skipping the
/// serializer's generic object converter. The reader thread does this once per entry while the signature workers
/// share its cores, so it counts against the benchmark's ≥ 85% of the raw Ed25519 rate.
/// Anything else (unknown or duplicate members, escaped names, other token types, bad UTF-8, depth, duplicate
/// names inside the payload) returns false and the caller falls back to <see cref="TracesJsonContext.Strict"/>,
/// so malformed entries are reported exactly as before.
/// </summary>
internal static class BundleEntryFastReader
{
    private static readonly JsonDocumentOptions s_payloadOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64,
        AllowDuplicateProperties = false,
    };

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 64, // TracesJsonContext's MaxDepth: deeper input fails here and again (reported) in the fallback
    };

    /// <summary>
    /// Reads a common entry; <paramref name="form"/> is what <see cref="TextForm.Inspect"/> would say of the same text,
    /// found on the way (a <c>null</c> public_key, a missing previous_chain_hash, an index written <c>-0</c>).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out BundleEntry? entry, out TextFormIssues form)
    {
        entry = null;
        form = TextFormIssues.None;
        try
        {
            return TryReadCore(json, out entry, out form);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            // GetString on invalid UTF-8 and similar: let the serializer report it.
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> json, out BundleEntry? entry, out TextFormIssues form)
    {
        entry = null;
        form = TextFormIssues.None;
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(s_readerOptions));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        long? index = null;
        string? eventId = null, eventType = null, payloadHash = null, contentHash = null, ingestedAt = null;
        string? keyId = null, publicKey = null, signature = null, previousChainHash = null, chainHash = null;
        JsonElement? payload = null;
        var seen = 0;

        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped)
            {
                return false;
            }

            var member = Member(reader.ValueSpan);
            if (member < 0 || (seen & (1 << member)) != 0)
            {
                return false;
            }

            seen |= 1 << member;
            if (!reader.Read())
            {
                return false;
            }

            switch (member)
            {
                case 0:
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        index = null;
                    }
                    else if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
                    {
                        return false;
                    }
                    else
                    {
                        index = value;
                        if (TextForm.IsNegativeZero(ref reader))
                        {
                            form |= TextFormIssues.IndexNegativeZero;
                        }
                    }

                    break;
                case 3:
                    if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                    {
                        return false;
                    }

                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    // Its own copy, like the serializer's JsonElement (the entry buffer is reused), parsed with duplicate
                    // member names refused at any depth, as TracesJsonContext.Strict does.
                    var bytes = json[start..(int)reader.BytesConsumed].ToArray();
                    payload = JsonDocument.Parse(bytes, s_payloadOptions).RootElement;
                    break;
                default:
                    string? text;
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        text = null;
                        if (member == 8)
                        {
                            form |= TextFormIssues.PublicKeyNull;
                        }
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        text = reader.GetString();
                    }
                    else
                    {
                        return false;
                    }

                    switch (member)
                    {
                        case 1: eventId = text; break;
                        case 2: eventType = text; break;
                        case 4: payloadHash = text; break;
                        case 5: contentHash = text; break;
                        case 6: ingestedAt = text; break;
                        case 7: keyId = text; break;
                        case 8: publicKey = text; break;
                        case 9: signature = text; break;
                        case 10: previousChainHash = text; break;
                        default: chainHash = text; break;
                    }

                    break;
            }
        }

        if (reader.Read())
        {
            return false;
        }

        if ((seen & (1 << 10)) == 0)
        {
            form |= TextFormIssues.PreviousChainHashAbsent;
        }

        entry = new BundleEntry
        {
            Index = index,
            EventId = eventId,
            EventType = eventType,
            Payload = payload,
            PayloadHash = payloadHash,
            ContentHash = contentHash,
            IngestedAt = ingestedAt,
            KeyId = keyId,
            PublicKey = publicKey,
            Signature = signature,
            PreviousChainHash = previousChainHash,
            ChainHash = chainHash,
        };
        return true;
    }

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
        _ => -1,
    };
}
