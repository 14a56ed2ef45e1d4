using System.Globalization;
using System.Text.Json;
using Traces.Verification.Reports;

namespace Traces.Verification.Vendors.SidClaw;

/// <summary>
/// Verifies SidClaw's hash chains offline, as docs/vendor-formats.md describes: every <c>integrity_hash</c> recomputed
/// byte for byte, every link from <c>GENESIS</c>, per trace. Reads a trace document (<c>GET /api/v1/traces/:id</c>)
/// or the audit export (<c>GET /api/v1/audit/export</c>, JSON array or CSV) streamed, so an export of any size verifies
/// in memory proportional to its number of traces. An intact chain is <c>Untrusted</c> (it has no key) unless the
/// caller pinned its head. Immutable and thread-safe; each call is independent.
/// </summary>
public sealed class SidClawVerifier
{
    /// <summary>Why the single-trace export cannot be verified, and what to verify instead.</summary>
    public const string TraceExportExplanation =
        "This is SidClaw's single-trace export (GET /api/v1/traces/:id/export): its events carry no integrity_hash, so "
        + "nothing in it can be verified. Verify the trace document (GET /api/v1/traces/:id) or the audit export "
        + "(GET /api/v1/audit/export, which needs an admin key) instead.";

    private readonly SidClawHeadPins _pins;
    private readonly VerificationOptions _options;

    /// <summary>Creates a verifier with the caller's pinned heads (none: every intact chain is at best Untrusted).</summary>
    public SidClawVerifier(SidClawHeadPins? pins = null, VerificationOptions? options = null)
    {
        _pins = pins ?? SidClawHeadPins.None;
        _options = options ?? VerificationOptions.Default;
    }

    /// <summary>Verifies a trace document: <c>{id, …, events: [{id, event_type, …, integrity_hash}]}</c>.</summary>
    public VendorReport VerifyTraceDocument(ReadOnlySpan<byte> utf8Json)
    {
        utf8Json = VendorJson.SkipBom(utf8Json);
        var session = new SidClawSession(SidClawInput.TraceDocument, _pins, _options);
        string? traceId = null;
        try
        {
            if (!TryReadTraceId(utf8Json, out traceId, out var shapeProblem))
            {
                session.DocumentProblem(FindingCodes.Malformed, shapeProblem);
                return session.Finish(complete: false, "SidClaw trace document");
            }

            var events = new List<SidClawEvent>();
            var reader = new Utf8JsonReader(utf8Json, VendorJson.ReaderOptions(_options.MaxDepth));
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEvents = reader.ValueTextEquals("events");
                reader.Read();
                if (!isEvents)
                {
                    reader.Skip();
                    continue;
                }

                long index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (index >= _options.MaxEntries)
                    {
                        session.DocumentProblem(FindingCodes.LimitExceeded, $"The trace has more than {_options.MaxEntries} events.", "/events");
                        return session.Finish(complete: false, Subject(traceId, session));
                    }

                    if (SidClawEventReader.TryRead(ref reader, traceId, index, out var e, out var error, out var id, out _))
                    {
                        events.Add(e!);
                    }
                    else
                    {
                        session.Unreadable(index, error!, id, traceId);
                    }

                    index++;
                }
            }

            // SidClaw serves events by timestamp (orderBy timestamp asc); the chain, not the document, decides ties.
            foreach (var e in events.OrderBy(e => e.TimestampTicks).ThenBy(e => e.Index))
            {
                session.Add(e);
            }

            return session.Finish(complete: true, Subject(traceId, session));
        }
        catch (JsonException exception)
        {
            session.DocumentProblem(FindingCodes.Malformed, $"The document is not valid JSON: {exception.Message}");
            return session.Finish(complete: false, Subject(traceId, session));
        }
    }

    /// <summary>Verifies an audit export read from <paramref name="stream"/>, one event at a time.</summary>
    public async Task<VendorReport> VerifyAuditExportAsync(Stream stream, SidClawExportFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (format == SidClawExportFormat.Json)
        {
            var session = new SidClawSession(SidClawInput.JsonExport, _pins, _options);
            var reader = new JsonArrayStreamReader(_options);
            await reader.ReadAsync(stream, (element, index) =>
            {
                if (index >= _options.MaxEntries)
                {
                    return;
                }

                var json = new Utf8JsonReader(element, VendorJson.ReaderOptions(_options.MaxDepth));
                json.Read();
                if (SidClawEventReader.TryRead(ref json, null, index, out var e, out var error, out var id, out var traceId))
                {
                    session.Add(e!);
                }
                else
                {
                    session.Unreadable(index, error!, id, traceId);
                }
            }, cancellationToken).ConfigureAwait(false);
            return FinishExport(session, reader.Problem, reader.Count, "JSON");
        }
        else
        {
            var session = new SidClawSession(SidClawInput.CsvExport, _pins, _options);
            var reader = new CsvRecordReader(_options);
            int[]? columns = null;
            string? headerProblem = null;
            await reader.ReadAsync(stream, (fields, record) =>
            {
                if (record == 0)
                {
                    columns = MapColumns(fields, out headerProblem);
                    return;
                }

                if (columns is null || record > _options.MaxEntries)
                {
                    return;
                }

                var index = record - 1;
                if (fields.Count != columns[^1])
                {
                    session.Unreadable(index, $"has {fields.Count} fields; the header has {columns[^1]}.",
                        fields.Count > columns[0] ? fields[columns[0]] : null, fields.Count > columns[1] ? fields[columns[1]] : null);
                    return;
                }

                string Field(int column) => fields[columns[column]];
                if (SidClawEventReader.TryCreate(index, Field(0), Field(1), Field(2), Field(3), Field(4), Field(5), Field(6), Field(7), Field(8),
                        "event_id", out var e, out var error))
                {
                    session.Add(e!);
                }
                else
                {
                    session.Unreadable(index, error!, Field(0), Field(1));
                }
            }, cancellationToken).ConfigureAwait(false);

            var problem = reader.Problem ?? (headerProblem is not null ? (FindingCodes.Malformed, headerProblem)
                : reader.Count == 0 ? (FindingCodes.Malformed, "The document is empty.") : null);
            return FinishExport(session, problem, Math.Max(0, reader.Count - 1), "CSV");
        }
    }

    /// <summary>
    /// Verifies a file: a trace document (a JSON object), a JSON export (an array) or a CSV export, told apart by
    /// the first significant byte.
    /// </summary>
    public async Task<VendorReport> VerifyFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var head = new byte[4096];
            var headLength = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            stream.Position = 0;
            switch (VendorJson.FirstSignificantByte(head.AsSpan(0, headLength)))
            {
                case '{':
                    // A trace document is one trace, read whole (an export of any size streams instead).
                    var limit = Math.Min(_options.MaxBundleBytes, Array.MaxLength);
                    if (stream.Length > limit)
                    {
                        var session = new SidClawSession(SidClawInput.TraceDocument, _pins, _options);
                        session.DocumentProblem(FindingCodes.LimitExceeded, $"The trace document is larger than the {limit}-byte limit.");
                        return session.Finish(complete: false, "SidClaw trace document");
                    }

                    var bytes = new byte[stream.Length];
                    await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                    return VerifyTraceDocument(bytes);
                case '[':
                    return await VerifyAuditExportAsync(stream, SidClawExportFormat.Json, cancellationToken).ConfigureAwait(false);
                default:
                    return await VerifyAuditExportAsync(stream, SidClawExportFormat.Csv, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="utf8Json"/> is SidClaw's single-trace export (<c>{trace, events, approval_requests,
    /// exported_at}</c>), which carries no hash (<see cref="TraceExportExplanation"/>).
    /// </summary>
    public static bool IsTraceExport(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool trace = false, exportedAt = false, id = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                trace |= reader.ValueTextEquals("trace");
                exportedAt |= reader.ValueTextEquals("exported_at");
                id |= reader.ValueTextEquals("id");
                reader.Read();
                reader.Skip();
            }

            return trace && exportedAt && !id;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static VendorReport FinishExport(SidClawSession session, (string Code, string Message)? problem, long rows, string form)
    {
        if (problem is { } p)
        {
            session.DocumentProblem(p.Code, p.Message);
        }

        return session.Finish(problem is null,
            $"SidClaw audit export ({form}), {session.Events.ToString("N0", CultureInfo.InvariantCulture)} events in "
            + $"{session.Traces.ToString("N0", CultureInfo.InvariantCulture)} traces");
    }

    private static string Subject(string? traceId, SidClawSession session) =>
        $"SidClaw trace document{(traceId is null ? "" : $" (trace {traceId})")}, {session.Events.ToString(CultureInfo.InvariantCulture)} events";

    /// <summary>The first pass over a trace document: its shape and its <c>id</c>.</summary>
    private bool TryReadTraceId(ReadOnlySpan<byte> utf8Json, out string? traceId, out string problem)
    {
        traceId = null;
        problem = "";
        if (IsTraceExport(utf8Json))
        {
            problem = TraceExportExplanation;
            return false;
        }

        var reader = new Utf8JsonReader(utf8Json, VendorJson.ReaderOptions(_options.MaxDepth));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            problem = "A SidClaw trace document is a JSON object.";
            return false;
        }

        var hasEvents = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"))
            {
                reader.Read();
                if (traceId is not null || !VendorJson.TryGetString(ref reader, out var id) || id.Length == 0)
                {
                    problem = "The trace document's 'id' is missing, repeated or not a string.";
                    return false;
                }

                traceId = id;
                continue;
            }

            if (reader.ValueTextEquals("events"))
            {
                reader.Read();
                if (hasEvents || reader.TokenType != JsonTokenType.StartArray)
                {
                    problem = "The trace document's 'events' is repeated or not an array.";
                    return false;
                }

                hasEvents = true;
            }
            else
            {
                reader.Read();
            }

            reader.Skip();
        }

        // Reading to the end checks the whole document is one well-formed JSON value before anything is reported.
        while (reader.Read())
        {
        }

        if (traceId is null || !hasEvents)
        {
            problem = "A SidClaw trace document has a string 'id' and an 'events' array.";
            return false;
        }

        return true;
    }

    /// <summary>Column positions of the covered members in the CSV header; the last element is the number of columns.</summary>
    private static int[]? MapColumns(IReadOnlyList<string> header, out string? problem)
    {
        string[] needed = ["event_id", "trace_id", "event_type", "actor_type", "actor_name", "description", "status", "timestamp", "integrity_hash"];
        var columns = new int[needed.Length + 1];
        for (var i = 0; i < needed.Length; i++)
        {
            columns[i] = -1;
            for (var j = 0; j < header.Count; j++)
            {
                if (string.Equals(header[j], needed[i], StringComparison.Ordinal))
                {
                    if (columns[i] >= 0)
                    {
                        problem = $"The CSV header names '{needed[i]}' twice.";
                        return null;
                    }

                    columns[i] = j;
                }
            }

            if (columns[i] < 0)
            {
                problem = $"The CSV header has no '{needed[i]}' column; a SidClaw audit export's header is {string.Join(',', SidClawEventReader.ExportColumns)}.";
                return null;
            }
        }

        columns[^1] = header.Count;
        problem = null;
        return columns;
    }
}
