using System.Text.Json;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Vendors.SidClaw;

/// <summary>
/// Reads SidClaw events: from a trace document's <c>events</c> (<c>id</c>, no <c>trace_id</c>: the document's
/// <c>id</c> is the trace id) and from an audit export row (<c>event_id</c>, <c>trace_id</c>), JSON or CSV
/// (sidclawhq/platform apps/api/src/routes/traces.ts, <c>GET /traces/:id</c> and <c>GET /audit/export</c>). Only the
/// covered members and the stored hash are kept; the others are skipped.
/// </summary>
internal static class SidClawEventReader
{
    /// <summary>The export's columns, in SidClaw's order (CSV header and JSON members).</summary>
    public static readonly string[] ExportColumns =
    [
        "event_id", "trace_id", "agent_id", "event_type", "actor_type", "actor_name", "description", "status", "timestamp",
        "policy_version", "integrity_hash",
    ];

    private static readonly string[] s_covered = ["event_type", "actor_type", "actor_name", "description", "status", "timestamp"];

    /// <summary>
    /// Reads the event object at the reader (positioned on its <c>StartObject</c>; left on its <c>EndObject</c>).
    /// <paramref name="documentTraceId"/> is the trace document's id, or null for an export row (then <c>trace_id</c> is read).
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader reader, string? documentTraceId, long index, out SidClawEvent? e, out string? error,
        out string? idHint, out string? traceIdHint)
    {
        e = null;
        idHint = null;
        traceIdHint = documentTraceId;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.TrySkip();
            error = "is not a JSON object.";
            return false;
        }

        // Slots: 0 id, 1 trace_id, 2 integrity_hash, then the covered members in s_covered order.
        var idMember = documentTraceId is null ? "event_id" : "id";
        var values = new string?[3 + s_covered.Length];
        var seen = 0;
        error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Compared as JSON text (escapes resolved by the reader); other members may hold anything and are skipped.
            var slot = Slot(ref reader, idMember, documentTraceId is null);
            reader.Read();
            if (slot < 0)
            {
                reader.Skip();
                continue;
            }

            var name = SlotName(slot, idMember);
            if ((seen & (1 << slot)) != 0)
            {
                error ??= $"has two '{name}' members.";
                reader.Skip();
                continue;
            }

            seen |= 1 << slot;
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (VendorJson.TryGetString(ref reader, out var text))
            {
                values[slot] = text;
            }
            else
            {
                error ??= $"has a '{name}' that is not a valid string.";
                reader.Skip();
            }
        }

        idHint = values[0];
        if (documentTraceId is null)
        {
            traceIdHint = values[1];
        }

        if (error is not null)
        {
            return false;
        }

        return TryCreate(index, values[0], traceIdHint, values[3], values[4], values[5], values[6], values[7], values[8], values[2], idMember,
            out e, out error);
    }

    private static int Slot(ref Utf8JsonReader reader, string idMember, bool export)
    {
        if (reader.ValueTextEquals(idMember))
        {
            return 0;
        }

        if (export && reader.ValueTextEquals("trace_id"))
        {
            return 1;
        }

        if (reader.ValueTextEquals("integrity_hash"))
        {
            return 2;
        }

        for (var i = 0; i < s_covered.Length; i++)
        {
            if (reader.ValueTextEquals(s_covered[i]))
            {
                return 3 + i;
            }
        }

        return -1;
    }

    private static string SlotName(int slot, string idMember) => slot switch
    {
        0 => idMember,
        1 => "trace_id",
        2 => "integrity_hash",
        _ => s_covered[slot - 3],
    };

    /// <summary>Validates the members the hash covers and builds the event.</summary>
    public static bool TryCreate(long index, string? id, string? traceId, string? eventType, string? actorType, string? actorName,
        string? description, string? status, string? timestamp, string? integrityHash, string idMember, out SidClawEvent? e, out string? error)
    {
        e = null;
        (string Name, string? Value)[] required =
        [
            (idMember, id), ("trace_id", traceId), ("event_type", eventType), ("actor_type", actorType), ("actor_name", actorName),
            ("description", description), ("status", status), ("timestamp", timestamp),
        ];
        var missing = required.Where(r => r.Value is null).Select(r => r.Name).ToList();
        if (missing.Count > 0)
        {
            // JSON.stringify would write null (or drop an absent member); SidClaw's columns are never null, so such an
            // event was not written by SidClaw as it is.
            error = $"lacks {string.Join(", ", missing)} (a string the hash covers).";
            return false;
        }

        if (!EcmaScriptDate.TryParseIsoString(timestamp, out var instant))
        {
            error = $"has timestamp '{timestamp}', which is not in Date.prototype.toISOString form (YYYY-MM-DDTHH:mm:ss.sssZ).";
            return false;
        }

        e = new SidClawEvent
        {
            Index = index,
            Id = id!,
            TraceId = traceId!,
            EventType = eventType!,
            ActorType = actorType!,
            ActorName = actorName!,
            Description = description!,
            Status = status!,
            Timestamp = timestamp!,
            TimestampTicks = instant.UtcTicks,
            // verifyTrace: `if (!event.integrity_hash)` — null and "" alike mean "no hash" (the CSV writes null as "").
            IntegrityHash = string.IsNullOrEmpty(integrityHash) ? null : integrityHash,
        };
        error = null;
        return true;
    }
}
