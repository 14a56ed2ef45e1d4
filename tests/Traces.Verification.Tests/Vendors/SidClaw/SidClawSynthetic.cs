using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Traces.Verification.Canonicalization;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Verification.Tests.Vendors.SidClaw;

/// <summary>
/// Builds SidClaw-shaped events with correct chains for ordering and export tests. The hash formula itself is proven
/// against the real captures (SidClawCaptureTests); here it only makes inputs.
/// </summary>
internal static class SidClawSynthetic
{
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    /// <summary>A chained trace of <paramref name="count"/> events; <paramref name="millis"/> gives each event's offset from <see cref="Start"/>.</summary>
    public static List<JsonObject> Trace(string traceId, int count, Func<int, int>? millis = null)
    {
        var events = new List<JsonObject>();
        var previous = SidClawIntegrityHash.Genesis;
        for (var i = 0; i < count; i++)
        {
            var e = new JsonObject
            {
                ["id"] = $"{traceId}-e{i}",
                ["event_type"] = i == 0 ? "trace_initiated" : "step_" + i.ToString(CultureInfo.InvariantCulture),
                ["actor_type"] = "agent",
                ["actor_name"] = "Agent, \"quoted\"",
                ["description"] = i % 3 == 0 ? "line one\nline two, with a comma" : "Événement " + i.ToString(CultureInfo.InvariantCulture),
                ["status"] = "ok",
                ["timestamp"] = EcmaScriptDate.ToIsoString(Start.AddMilliseconds(millis?.Invoke(i) ?? i)),
                ["policy_version"] = null,
                ["metadata"] = new JsonObject { ["n"] = i },
            };
            e["integrity_hash"] = Hash(traceId, e, previous);
            previous = e["integrity_hash"]!.GetValue<string>();
            events.Add(e);
        }

        return events;
    }

    public static string Hash(string traceId, JsonObject e, string previous) => SidClawIntegrityHash.Compute(new SidClawEvent
    {
        Index = 0,
        Id = e["id"]!.GetValue<string>(),
        TraceId = traceId,
        EventType = e["event_type"]!.GetValue<string>(),
        ActorType = e["actor_type"]!.GetValue<string>(),
        ActorName = e["actor_name"]!.GetValue<string>(),
        Description = e["description"]!.GetValue<string>(),
        Status = e["status"]!.GetValue<string>(),
        Timestamp = e["timestamp"]!.GetValue<string>(),
        TimestampTicks = 0,
        IntegrityHash = null,
    }, previous);

    /// <summary>A trace document <c>{id, events}</c>.</summary>
    public static byte[] Document(string traceId, IEnumerable<JsonObject> events) =>
        SidClawCaptures.ToBytes(new JsonObject { ["id"] = traceId, ["final_outcome"] = "executed", ["events"] = new JsonArray([.. events.Select(e => e.DeepClone())]) });

    /// <summary>An export row (the JSON export's member names) from a trace-document event.</summary>
    public static JsonObject ExportRow(string traceId, JsonObject e) => new()
    {
        ["event_id"] = e["id"]!.GetValue<string>(),
        ["trace_id"] = traceId,
        ["agent_id"] = "agent-1",
        ["event_type"] = e["event_type"]!.DeepClone(),
        ["actor_type"] = e["actor_type"]!.DeepClone(),
        ["actor_name"] = e["actor_name"]!.DeepClone(),
        ["description"] = e["description"]!.DeepClone(),
        ["status"] = e["status"]!.DeepClone(),
        ["timestamp"] = e["timestamp"]!.DeepClone(),
        ["policy_version"] = null,
        ["integrity_hash"] = e["integrity_hash"]?.DeepClone(),
    };

    public static byte[] JsonExport(IEnumerable<JsonObject> rows) => SidClawCaptures.ToBytes(new JsonArray([.. rows.Select(r => r.DeepClone())]));

    /// <summary>The CSV export as SidClaw writes it: header, LF, csvEscape on actor_name and description, no final newline.</summary>
    public static byte[] CsvExport(IEnumerable<JsonObject> rows, string newline = "\n")
    {
        var lines = new List<string> { string.Join(',', SidClawEventReader.ExportColumns) };
        foreach (var r in rows)
        {
            lines.Add(string.Join(',',
                Text(r, "event_id"), Text(r, "trace_id"), Text(r, "agent_id"), Text(r, "event_type"), Text(r, "actor_type"),
                CsvEscape(Text(r, "actor_name")), CsvEscape(Text(r, "description")), Text(r, "status"), Text(r, "timestamp"),
                r["policy_version"]?.ToJsonString() ?? "", Text(r, "integrity_hash")));
        }

        return Encoding.UTF8.GetBytes(string.Join(newline, lines));
    }

    private static string Text(JsonObject r, string name) => r[name]?.GetValue<string>() ?? "";

    // sidclawhq/platform apps/api/src/routes/traces.ts csvEscape.
    private static string CsvEscape(string value) =>
        value.Contains(',') || value.Contains('"') || value.Contains('\n') ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
