using System.Text.Json.Nodes;
using Traces.Extensions.AI.Transcripts;

namespace Traces.Extensions.AI.Recording;

/// <summary>
/// An ERROR step the recorder writes about the record itself (docs/ai-recording.md §5): an entry that can never be
/// written, entries written late, entries dropped. Exempt from the content policy: it carries no conversation content.
/// </summary>
internal class QueuedNotice(string text, JsonObject metadata) : QueuedEntry
{
    private QueuedStep _step = EntryFactory.Notice(text, metadata);

    public override string Description => "ERROR step";

    public static QueuedNotice Unwritable(string description, Exception cause) => new(
        $"One {description} could not be recorded: the service refused it ({cause.GetType().Name}: {cause.Message}).",
        new JsonObject { ["error"] = "recording_gap", ["missing"] = new JsonArray(description), ["exception_type"] = cause.GetType().FullName });

    public static QueuedNotice Late(IReadOnlyList<long?> indexes, Exception cause) => new(
        $"The {indexes.Count} entries before this one were recorded late: writing them first failed ({cause.GetType().Name}: {cause.Message}), and they were retried in order.",
        new JsonObject
        {
            ["error"] = "recording_delayed",
            ["entries"] = indexes.Count,
            ["indexes"] = new JsonArray([.. indexes.Where(i => i is not null).Select(i => (JsonNode)i!.Value)]),
            ["exception_type"] = cause.GetType().FullName,
        });

    public override Task<RecordedEntryReceipt> WriteAsync(ITraceRecordingSink sink, string traceId, CancellationToken cancellationToken)
    {
        _step = Current() ?? _step;
        return _step.WriteAsync(sink, traceId, cancellationToken);
    }

    public override TranscriptEntry ToTranscript(RecordedEntryReceipt receipt) => _step.ToTranscript(receipt);

    /// <summary>The step as it should be written now, or <see langword="null"/> when it does not change.</summary>
    protected virtual QueuedStep? Current() => null;
}

/// <summary>Counts the entries dropped while the queue was full; written as one ERROR step when its turn comes.</summary>
internal sealed class QueuedDropNotice() : QueuedNotice(string.Empty, [])
{
    private readonly Dictionary<string, int> _dropped = new(StringComparer.Ordinal);
    private QueuedStep? _written;

    public void Count(string description)
    {
        _dropped[description] = _dropped.GetValueOrDefault(description) + 1;
        _written = null;
    }

    protected override QueuedStep? Current()
    {
        if (_written is null)
        {
            var total = _dropped.Values.Sum();
            var missing = new JsonArray();
            foreach (var (description, count) in _dropped.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                missing.Add(new JsonObject { ["entry"] = description, ["count"] = count });
            }

            _written = EntryFactory.Notice(
                $"{total} entries were not recorded: too many were waiting for the service ({string.Join(", ", _dropped.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Value} × {d.Key}"))}).",
                new JsonObject { ["error"] = "recording_gap", ["missing"] = missing, ["dropped"] = total });
        }

        return _written;
    }
}
