using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Traces.Client.Errors;
using Traces.Client.Http;
using Traces.Client.Vendors.Http;

namespace Traces.Client.Vendors.SidClaw;

/// <summary>
/// An export as it arrives: the raw body (<see cref="Content"/>, read once, never buffered whole) with
/// <c>x-total-count</c> and the attachment's file name. Copy it to a file with <see cref="CopyToAsync"/>, or read typed
/// rows from a subclass; not both. Failures while reading surface as <see cref="TracesApiException"/>
/// (<c>network_error</c> when the body breaks off, <c>invalid_response</c> when it is malformed or ends before
/// <see cref="TotalCount"/> rows). Dispose it to release the connection.
/// </summary>
public class SidClawExportStream : IDisposable, IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly MappedBodyStream _content;

    private protected SidClawExportStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        RequestId = ErrorMapper.RequestIdOf(response);
        _content = new MappedBodyStream(body, (int)response.StatusCode, RequestId);
        TotalCount = response.Headers.TryGetValues("x-total-count", out var counts)
            && long.TryParse(counts.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            ? total
            : null;
        FileName = response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        MediaType = response.Content.Headers.ContentType?.MediaType;
    }

    /// <summary>The body exactly as the server sends it.</summary>
    public Stream Content => _content;

    /// <summary>Rows (or events) the server says the export holds (<c>x-total-count</c>).</summary>
    public long? TotalCount { get; }

    /// <summary>The attachment's file name (<c>Content-Disposition</c>), e.g. <c>audit-events-2026-11-30-to-2026-12-03.csv</c>.</summary>
    public string? FileName { get; }

    /// <summary>The media type: <c>text/csv</c> or <c>application/json</c>.</summary>
    public string? MediaType { get; }

    /// <summary>The request id (<c>x-request-id</c>).</summary>
    public string? RequestId { get; }

    /// <summary>Bytes read from <see cref="Content"/> so far.</summary>
    public long BytesRead => _content.BytesRead;

    private protected int Status => (int)_response.StatusCode;

    /// <summary>Copies the body to <paramref name="destination"/> as it arrives (the bytes the server sent, unchanged).</summary>
    /// <param name="destination">Where to write, e.g. a file.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The number of bytes copied.</returns>
    public async Task<long> CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var before = _content.BytesRead;
        await _content.CopyToAsync(destination, 81920, cancellationToken).ConfigureAwait(false);
        return _content.BytesRead - before;
    }

    /// <summary>Releases the connection.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the connection.</summary>
    /// <returns>A task that completes when released.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing"><c>true</c> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content.Dispose();
            _response.Dispose();
        }
    }

    /// <summary>Wraps a row sequence so that every failure is a <see cref="TracesApiException"/> and a short export is told apart from a complete one.</summary>
    private protected async IAsyncEnumerable<T> Checked<T>(IAsyncEnumerable<T> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long count = 0;
        var enumerator = rows.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (BodyReadErrors.Map(ex, Status, RequestId) is { } mapped)
                {
                    throw mapped;
                }

                if (!more)
                {
                    break;
                }

                count++;
                yield return enumerator.Current;
            }
        }

        // The count is taken before the rows are read (apps/api routes/traces.ts), so rows may exceed it under
        // concurrent writes, never fall short of it unless the body was cut.
        if (TotalCount is { } total && count < total)
        {
            throw new TracesApiException(
                $"The export ended after {count} of the {total} rows its x-total-count announced.", Status, TracesErrorCodes.InvalidResponse, RequestId, null, null, null);
        }
    }

    private protected static async IAsyncEnumerable<Dictionary<string, string>> CsvRows(Stream content, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = new StreamReader(content, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        var reader = new CsvRecordReader(text);
        var header = await reader.ReadRecordAsync(cancellationToken).ConfigureAwait(false);
        if (header is null)
        {
            yield break;
        }

        while (await reader.ReadRecordAsync(cancellationToken).ConfigureAwait(false) is { } record)
        {
            if (record.Count != header.Count)
            {
                throw new FormatException($"A CSV row has {record.Count} fields where the header names {header.Count}.");
            }

            var row = new Dictionary<string, string>(header.Count, StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
            {
                row[header[i]] = record[i];
            }

            yield return row;
        }
    }

    private protected static string? Text(Dictionary<string, string> row, string column) =>
        row.TryGetValue(column, out var value) && value.Length > 0 ? value : null;

    private protected static string Required(Dictionary<string, string> row, string column) =>
        Text(row, column) ?? throw new FormatException($"A CSV row has no '{column}'.");

    private protected static DateTimeOffset? Instant(Dictionary<string, string> row, string column) =>
        Text(row, column) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw new FormatException($"'{column}' is not a timestamp: '{text}'.");

    private protected static long? Integer(Dictionary<string, string> row, string column) =>
        Text(row, column) is not { } text ? null
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new FormatException($"'{column}' is not an integer: '{text}'.");

    private protected static bool? Boolean(Dictionary<string, string> row, string column) => Text(row, column) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var text => throw new FormatException($"'{column}' is not true or false: '{text}'."),
    };
}

/// <summary>The bulk trace export (<c>GET /api/v1/traces/export?format=csv</c>): the CSV as sent, or its rows typed.</summary>
public sealed class SidClawTraceCsvExport : SidClawExportStream
{
    internal SidClawTraceCsvExport(HttpResponseMessage response, Stream body)
        : base(response, body)
    {
    }

    /// <summary>The rows, read as they arrive.</summary>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>One row per trace, oldest first.</returns>
    public IAsyncEnumerable<SidClawTraceExportRow> ReadRowsAsync(CancellationToken cancellationToken = default) =>
        Checked(Rows(cancellationToken), cancellationToken);

    private async IAsyncEnumerable<SidClawTraceExportRow> Rows([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in CsvRows(Content, cancellationToken).ConfigureAwait(false))
        {
            yield return new SidClawTraceExportRow
            {
                TraceId = Required(row, "trace_id"),
                AgentId = Text(row, "agent_id"),
                AgentName = Text(row, "agent_name"),
                Operation = Text(row, "operation"),
                TargetIntegration = Text(row, "target_integration"),
                ResourceScope = Text(row, "resource_scope"),
                DataClassification = Text(row, "data_classification"),
                FinalOutcome = Text(row, "final_outcome"),
                StartedAt = Instant(row, "started_at"),
                CompletedAt = Instant(row, "completed_at"),
                DurationMs = Integer(row, "duration_ms"),
                ApprovalRequired = Boolean(row, "approval_required"),
                ApproverName = Text(row, "approver_name"),
                ApprovalDecision = Text(row, "approval_decision"),
                ApprovalDecidedAt = Instant(row, "approval_decided_at"),
                PolicyRuleId = Text(row, "policy_rule_id"),
                PolicyVersion = (int?)Integer(row, "policy_version"),
            };
        }
    }
}

/// <summary>The SIEM audit export (<c>GET /api/v1/audit/export</c>), JSON or CSV: the body as sent, or its events typed.</summary>
public sealed class SidClawAuditExport : SidClawExportStream
{
    internal SidClawAuditExport(HttpResponseMessage response, Stream body, SidClawExportFormat format)
        : base(response, body)
    {
        Format = format;
    }

    /// <summary>The format asked for.</summary>
    public SidClawExportFormat Format { get; }

    /// <summary>The events, read as they arrive (a JSON array element by element, or CSV row by row).</summary>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <returns>The events, oldest first.</returns>
    public IAsyncEnumerable<SidClawAuditEvent> ReadEventsAsync(CancellationToken cancellationToken = default) =>
        Checked(Format == SidClawExportFormat.Csv ? CsvEvents(cancellationToken) : JsonEvents(cancellationToken), cancellationToken);

    private async IAsyncEnumerable<SidClawAuditEvent> JsonEvents([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in JsonSerializer.DeserializeAsyncEnumerable(Content, VendorJsonContext.Default.SidClawAuditEvent, cancellationToken).ConfigureAwait(false))
        {
            yield return item ?? throw new FormatException("The export holds a null event.");
        }
    }

    private async IAsyncEnumerable<SidClawAuditEvent> CsvEvents([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in CsvRows(Content, cancellationToken).ConfigureAwait(false))
        {
            yield return new SidClawAuditEvent
            {
                EventId = Required(row, "event_id"),
                TraceId = Text(row, "trace_id"),
                AgentId = Text(row, "agent_id"),
                EventType = Text(row, "event_type"),
                ActorType = Text(row, "actor_type"),
                ActorName = Text(row, "actor_name"),
                Description = Text(row, "description"),
                Status = Text(row, "status"),
                Timestamp = Instant(row, "timestamp"),
                PolicyVersion = (int?)Integer(row, "policy_version"),
                IntegrityHash = Text(row, "integrity_hash"),
            };
        }
    }
}
