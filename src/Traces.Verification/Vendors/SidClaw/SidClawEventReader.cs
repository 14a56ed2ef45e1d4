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

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var idMember = documentTraceId is null ? "event_id" : "id";
        error = null;
        string[] wanted = documentTraceId is null ? [idMember, "trace_id", "integrity_hash", .. s_covered] : [idMember, "integrity_hash", .. s_covered];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Compared as JSON text (escapes resolved by the reader); other members may hold anything and are skipped.
            string? name = null;
            foreach (var candidate in wanted)
            {
                if (reader.ValueTextEquals(candidate))
                {
                    name = candidate;
                    break;
                }
            }

            reader.Read();
            if (name is null)
            {
                reader.Skip();
                continue;
            }

            if (values.ContainsKey(name))
            {
                error ??= $"has two '{name}' members.";
                reader.Skip();
                continue;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                values[name] = null;
            }
            else if (VendorJson.TryGetString(ref reader, out var text))
            {
                values[name] = text;
            }
            else
            {
                error ??= $"has a '{name}' that is not a valid string.";
                reader.Skip();
                values[name] = null;
            }
        }

        values.TryGetValue(idMember, out idHint);
        if (documentTraceId is null)
        {
            values.TryGetValue("trace_id", out traceIdHint);
        }

        if (error is not null)
        {
            return false;
        }

        return TryCreate(index, idHint, traceIdHint, Get(values, "event_type"), Get(values, "actor_type"), Get(values, "actor_name"),
            Get(values, "description"), Get(values, "status"), Get(values, "timestamp"), Get(values, "integrity_hash"), idMember, out e, out error);
    }

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

    private static string? Get(Dictionary<string, string?> values, string name) => values.GetValueOrDefault(name);
}
