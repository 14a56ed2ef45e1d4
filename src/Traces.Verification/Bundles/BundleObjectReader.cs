using System.Runtime.InteropServices;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Traces.Verification.Pipeline;

namespace Traces.Verification.Bundles;

/// <summary>
/// Reads a <see cref="ProofBundle"/> object into a session the way <see cref="BundleStreamReader"/> reads the JSON
/// text the object serializes to with <see cref="TracesJsonContext.Default"/> (compact, members in declaration order):
/// the same members in the same order, the same per-member checks (each member other than <c>events</c> goes through
/// <see cref="BundleStreamReader.ReadMember"/> as its serialized text), and the same limits at the same positions
/// (proof-format §10.5), so an object and its serialization get the same verdict and codes. Entries are handed to
/// the session as objects, measured but not re-parsed.
/// </summary>
internal sealed class BundleObjectReader(BundleSession session, VerificationOptions options)
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private long _position;
    private bool _firstMember = true;

    /// <summary>Reads <paramref name="bundle"/>; false when a limit stopped reading (the session is abandoned).</summary>
    public bool Read(ProofBundle bundle)
    {
        if (!Syntax(1, inEvents: false))
        {
            return false;
        }

        var members = new (string Name, Func<byte[]?> Value, bool Written)[]
        {
            ("version", () => Serialize(bundle.Version, TracesJsonContext.Default.String), true),
            ("trace_id", () => Serialize(bundle.TraceId, TracesJsonContext.Default.String), true),
            ("label", () => Serialize(bundle.Label, TracesJsonContext.Default.String), bundle.Label is not null),
            ("tenant_domain", () => Serialize(bundle.TenantDomain, TracesJsonContext.Default.String), bundle.TenantDomain is not null),
            ("status", () => Serialize(bundle.Status, TracesJsonContext.Default.String), true),
            ("created_at", () => Serialize(bundle.CreatedAt, TracesJsonContext.Default.String), bundle.CreatedAt is not null),
            ("sealed_at", () => Serialize(bundle.SealedAt, TracesJsonContext.Default.String), true),
            ("composite_hash", () => Serialize(bundle.CompositeHash, TracesJsonContext.Default.String), true),
            ("integrity_root_hash", () => Serialize(bundle.IntegrityRootHash, TracesJsonContext.Default.String), true),
            ("event_count", () => Serialize(bundle.EventCount, TracesJsonContext.Default.NullableInt64), true),
        };

        foreach (var (name, value, written) in members)
        {
            if (written && !Member(name, value()!))
            {
                return false;
            }
        }

        if (!Events(bundle.Events))
        {
            return false;
        }

        if (!ObjectMember("seal_event", bundle.SealEvent, TracesJsonContext.Default.SealEvent, seal => session.SealEvent = seal)
            || !ObjectMember("certificate", bundle.Certificate, TracesJsonContext.Default.TraceCertificate, certificate => session.Certificate = certificate))
        {
            return false;
        }

        if (bundle.Verification is { } claims
            && !Member("verification", Serialize(claims, TracesJsonContext.Default.VerificationClaims) ?? "null"u8.ToArray()))
        {
            return false;
        }

        foreach (var (name, element) in bundle.AdditionalProperties ?? new Dictionary<string, JsonElement>())
        {
            if (!Member(name, Serialize(element, TracesJsonContext.Default.JsonElement) ?? RawText(element)))
            {
                return false;
            }
        }

        return Syntax(1, inEvents: false);
    }

    /// <summary>The bytes an entry serializes to (for a payload the serializer cannot write, the payload's raw text).</summary>
    public static long Measure(SignedEntry entry)
    {
        var bytes = entry is BundleEntry chained
            ? Serialize(chained, TracesJsonContext.Default.BundleEntry)
            : Serialize((SealEvent)entry, TracesJsonContext.Default.SealEvent);
        if (bytes is not null)
        {
            return bytes.LongLength;
        }

        long withoutPayload = entry switch
        {
            BundleEntry e => Measure(new BundleEntry
            {
                Index = e.Index, EventId = e.EventId, EventType = e.EventType, PayloadHash = e.PayloadHash, ContentHash = e.ContentHash,
                PreviousChainHash = e.PreviousChainHash, ChainHash = e.ChainHash, IngestedAt = e.IngestedAt, KeyId = e.KeyId,
                PublicKey = e.PublicKey, Signature = e.Signature, Timestamp = e.Timestamp, AdditionalProperties = e.AdditionalProperties,
            }, TracesJsonContext.Default.BundleEntry),
            _ => Measure(new SealEvent
            {
                EventId = entry.EventId, EventType = entry.EventType, PayloadHash = entry.PayloadHash, ContentHash = entry.ContentHash,
                IngestedAt = entry.IngestedAt, KeyId = entry.KeyId, PublicKey = entry.PublicKey, Signature = entry.Signature,
                Timestamp = entry.Timestamp, AdditionalProperties = entry.AdditionalProperties,
            }, TracesJsonContext.Default.SealEvent),
        };
        return withoutPayload + ",\"payload\":".Length + (entry.Payload is { } payload ? RawText(payload).LongLength : 0);
    }

    /// <summary>The bytes any traces/v1 object serializes to (0 when it has no JSON form).</summary>
    public static long Measure<T>(T value, JsonTypeInfo<T> type) => Serialize(value, type)?.LongLength ?? 0;

    private bool Member(string name, byte[] value)
    {
        if (!Name(name))
        {
            return false;
        }

        if (!_seen.Add(name))
        {
            session.Malformed($"The member '{name}' appears twice (RFC 7493 §2.3).", "/" + name);
            session.Abandon();
            return false;
        }

        if (!Value(value.LongLength, IsNumber(value), "/" + name, null))
        {
            return false;
        }


        BundleStreamReader.ReadMember(session, name, value, options.MaxDepth);
        return true;
    }

    private bool ObjectMember<T>(string name, T? value, JsonTypeInfo<T?> type, Action<T?> assign)
        where T : class
    {
        if (Serialize(value, type) is { } bytes)
        {
            return Member(name, bytes);
        }

        // A payload with no JSON text (an escaped lone surrogate read leniently, or default(JsonElement) set in code):
        // the object itself is checked, its size measured on the raw payload text.
        _seen.Add(name);
        if (!Name(name) || !Value(value is SignedEntry entry ? Measure(entry) : 0, false, "/" + name, null))
        {
            return false;
        }

        assign(value);
        return true;
    }

    private bool Events(IReadOnlyList<BundleEntry>? events)
    {
        if (!Name("events"))
        {
            return false;
        }

        _seen.Add("events");
        if (events is null)
        {
            session.Malformed("events is not an array.", "/events");
            return Value(4, false, "/events", null);
        }

        session.SawEvents = true;
        if (!Syntax(1, inEvents: false))
        {
            return false;
        }

        for (var i = 0; i < events.Count; i++)
        {
            if ((i > 0 && !Syntax(1, inEvents: true)) || !Syntax(0, inEvents: true))
            {
                return false;
            }

            if (session.EntryCount >= options.MaxEntries)
            {
                session.LimitExceeded($"The bundle has more than {options.MaxEntries} entries.", $"/events/{session.EntryCount}", session.EntryCount);
                session.Abandon();
                return false;
            }

            var entry = events[i];
            if (!Value(entry is null ? 4 : Measure(entry), false, $"/events/{session.EntryCount}", session.EntryCount))
            {
                return false;
            }

            if (entry?.Payload is { } payload && !Utf8.IsValid(RawText(payload))
                && Serialize(entry, TracesJsonContext.Default.BundleEntry) is { } text
                && BundleEntryFastReader.TryRead(text, options.MaxDepth, chained: true, out var written, out _, out _))
            {
                // A JsonElement read without validating the UTF-8 of its strings: the serializer writes such a string
                // with replacement characters, so the entry is checked as that text (the object's serialization) says.
                entry = (BundleEntry)written!;
            }

            if (entry is null)
            {
                session.UnreadableEntry($"Entry {session.EntryCount} is null.");
            }
            else
            {
                session.AddEntry(entry);
            }
        }

        return Syntax(1, inEvents: true);
    }

    private bool Name(string name)
    {
        var length = (_firstMember ? 0 : 1) + Serialize(name, TracesJsonContext.Default.String)!.LongLength + 1;
        _firstMember = false;
        return Syntax(length, inEvents: false);
    }

    /// <summary>Separators and names: the stream needs each byte within the bundle limit.</summary>
    private bool Syntax(long length, bool inEvents)
    {
        _position += length;
        if (_position <= options.MaxBundleBytes)
        {
            return true;
        }

        Stop($"The bundle is larger than the {options.MaxBundleBytes}-byte limit.", inEvents ? $"/events/{session.EntryCount}" : "",
            inEvents ? session.EntryCount : null);
        return false;
    }

    /// <summary>
    /// A value of <paramref name="length"/> bytes: read only if it ends within the bundle limit (a number also needs the
    /// byte after it, to be seen to end) and is no longer than the value limit.
    /// </summary>
    private bool Value(long length, bool number, string location, long? index)
    {
        var end = _position + length;
        if (end + (number ? 1 : 0) > options.MaxBundleBytes)
        {
            Stop($"The bundle is larger than the {options.MaxBundleBytes}-byte limit.", location, index);
            return false;
        }

        if (length > options.MaxEntryBytes)
        {
            Stop($"A single value ({location}) is larger than the {options.MaxEntryBytes}-byte limit.", location, index);
            return false;
        }

        _position = end;
        return true;
    }

    private void Stop(string message, string location, long? index)
    {
        session.LimitExceeded(message, location, index);
        session.Abandon();
    }

    private static bool IsNumber(byte[] json) => json.Length > 0 && (json[0] == (byte)'-' || char.IsAsciiDigit((char)json[0]));

    private static byte[]? Serialize<T>(T value, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, type);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            // An escaped lone surrogate in a leniently read JsonElement, or default(JsonElement): no JSON text.
            return null;
        }
    }

    private static byte[] RawText(JsonElement element)
    {
        try
        {
            return JsonMarshal.GetRawUtf8Value(element).ToArray();
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }
}
