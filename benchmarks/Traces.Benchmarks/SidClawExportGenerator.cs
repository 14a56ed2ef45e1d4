using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Traces.Benchmarks;

/// <summary>
/// Writes a SidClaw audit export (GET /api/v1/audit/export, JSON array or CSV) of any size to a file, as SidClaw orders
/// it: by timestamp, traces interleaved. 1,024 traces are open at a time, each of <c>perTrace</c> events; the clock
/// advances 1 ms every two events, so events of different traces share milliseconds, and one trace in 64 has two
/// events in one millisecond listed in the order that does not link (the verifier must order them by their links).
/// The hashes are computed here with the formula written out independently of the verifier (integrity-service.ts:
/// SHA-256 of JSON.stringify of nine members); the generated strings need no escape but the quote.
/// </summary>
internal static class SidClawExportGenerator
{
    private const int OpenTraces = 1_024;

    private static readonly string[] s_types = ["trace_initiated", "identity_resolved", "policy_evaluated", "operation_allowed", "trace_closed", "operation_executed", "telemetry_appended"];

    /// <summary>The cached export for <paramref name="events"/> events, generated on first use.</summary>
    public static string Ensure(int events, int perTrace, bool csv, TextWriter log)
    {
        var path = Path.Combine(Path.GetTempPath(), $"traces-bench-sidclaw-{events}-{perTrace}.{(csv ? "csv" : "json")}");
        if (File.Exists(path))
        {
            return path;
        }

        log.WriteLine($"# generating {path} ({events:N0} events) ...");
        var temporary = path + ".partial";
        using (var file = new StreamWriter(temporary, append: false, new UTF8Encoding(false), 1 << 20))
        {
            Write(file, events, perTrace, csv);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static void Write(TextWriter output, int events, int perTrace, bool csv)
    {
        var start = new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc);
        var open = new List<Trace>(OpenTraces);
        var nextTrace = 0;
        var written = 0;
        long tick = 0;
        output.Write(csv ? "event_id,trace_id,agent_id,event_type,actor_type,actor_name,description,status,timestamp,policy_version,integrity_hash" : "[");
        while (written < events)
        {
            while (open.Count < OpenTraces && nextTrace * (long)perTrace < events)
            {
                open.Add(new Trace(nextTrace++, perTrace));
            }

            for (var t = 0; t < open.Count && written < events; t++)
            {
                var trace = open[t];
                var swapped = trace.Number % 64 == 0 && trace.Next == 3 && perTrace > 4;
                var count = swapped ? 2 : 1;
                var timestamp = (start + TimeSpan.FromMilliseconds(tick / 2)).ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
                var rows = new List<string>(2);
                for (var k = 0; k < count; k++)
                {
                    rows.Add(trace.NextEvent(timestamp, csv));
                }

                if (swapped)
                {
                    rows.Reverse();   // same millisecond, listed backwards: only the links give the order
                }

                foreach (var row in rows)
                {
                    output.Write(csv ? "\n" : written == 0 ? "" : ",");
                    output.Write(row);
                    written++;
                    tick++;
                }

                if (trace.Done)
                {
                    open.RemoveAt(t--);
                }
            }
        }

        if (!csv)
        {
            output.Write("]");
        }
    }

    private sealed class Trace(int number, int length)
    {
        private readonly string _id = Uuid("t", number);
        private string _previous = "GENESIS";

        public int Number => number;

        public int Next { get; private set; }

        public bool Done => Next >= length;

        public string NextEvent(string timestamp, bool csv)
        {
            var i = Next++;
            var id = Uuid("e", number * 64 + i);
            var type = s_types[i % s_types.Length];
            var actorType = i % 3 == 0 ? "agent" : "policy_engine";
            var actorName = i % 3 == 0 ? "Traces SDK Harness Agent" : "Policy Engine";
            var description = i % 2 == 0
                ? $"Policy \"Rule {number % 97}\" matched — effect: allow, step {i}"
                : $"Operation {type} on document_store — {number}";
            var status = i == 0 ? "started" : "ok";
            var payload = $"{{\"id\":{Q(id)},\"trace_id\":{Q(_id)},\"event_type\":{Q(type)},\"actor_type\":{Q(actorType)},\"actor_name\":{Q(actorName)},"
                + $"\"description\":{Q(description)},\"status\":{Q(status)},\"timestamp\":{Q(timestamp)},\"previous_hash\":{Q(_previous)}}}";
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(payload)));
            _previous = hash;
            var policy = i == 2 ? "1" : null;
            return csv
                ? string.Join(',', id, _id, "agent-1", type, actorType, actorName, CsvEscape(description), status, timestamp, policy ?? "", hash)
                : $"{{\"event_id\":{Q(id)},\"trace_id\":{Q(_id)},\"agent_id\":\"agent-1\",\"event_type\":{Q(type)},\"actor_type\":{Q(actorType)},"
                  + $"\"actor_name\":{Q(actorName)},\"description\":{Q(description)},\"status\":{Q(status)},\"timestamp\":{Q(timestamp)},"
                  + $"\"policy_version\":{policy ?? "null"},\"integrity_hash\":{Q(hash)}}}";
        }
    }

    private static string Uuid(string kind, long n) =>
        string.Create(CultureInfo.InvariantCulture, $"{(kind == "t" ? 0x7443a892L : 0x0141b3a2L) + n:x8}-1996-43a8-873e-{n:x12}");

    // JSON.stringify of a string with no control character and no backslash: only the quote needs escaping.
    private static string Q(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // sidclawhq/platform apps/api/src/routes/traces.ts csvEscape.
    private static string CsvEscape(string value) =>
        value.Contains(',') || value.Contains('"') || value.Contains('\n') ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
