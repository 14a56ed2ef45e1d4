namespace Traces.Verification.Vendors.SidClaw;

/// <summary>
/// One SidClaw audit event as read from a trace document, a JSON export row or a CSV export row: the members
/// <c>integrity_hash</c> covers, the stored hash, and where the event was in the input. Members the hash does not
/// cover (<c>metadata</c>, <c>policy_version</c>, <c>approval_request_id</c>, <c>agent_id</c>) are not kept.
/// </summary>
internal sealed class SidClawEvent
{
    /// <summary>Zero-based position in the input: the index in <c>events</c> or in the export array, or the CSV data row.</summary>
    public required long Index { get; init; }

    public required string Id { get; init; }

    public required string TraceId { get; init; }

    public required string EventType { get; init; }

    public required string ActorType { get; init; }

    public required string ActorName { get; init; }

    public required string Description { get; init; }

    public required string Status { get; init; }

    /// <summary>The timestamp text, in <c>Date.prototype.toISOString</c> form (checked when read).</summary>
    public required string Timestamp { get; init; }

    /// <summary>The timestamp as UTC ticks, for ordering.</summary>
    public required long TimestampTicks { get; init; }

    /// <summary>The stored hash; null when the event has none (absent, null or empty, which SidClaw's verify all skip).</summary>
    public required string? IntegrityHash { get; init; }

    /// <summary>The same event with one covered text member replaced (for the encoding-defect search).</summary>
    public SidClawEvent With(string member, string value) => new()
    {
        Index = Index,
        Id = member == "id" ? value : Id,
        TraceId = member == "trace_id" ? value : TraceId,
        EventType = member == "event_type" ? value : EventType,
        ActorType = member == "actor_type" ? value : ActorType,
        ActorName = member == "actor_name" ? value : ActorName,
        Description = member == "description" ? value : Description,
        Status = member == "status" ? value : Status,
        Timestamp = Timestamp,
        TimestampTicks = TimestampTicks,
        IntegrityHash = IntegrityHash,
    };

    /// <summary>The covered text members by their names in the hashed object (timestamp excluded: it is a date).</summary>
    public IEnumerable<(string Member, string Value)> CoveredText()
    {
        yield return ("id", Id);
        yield return ("trace_id", TraceId);
        yield return ("event_type", EventType);
        yield return ("actor_type", ActorType);
        yield return ("actor_name", ActorName);
        yield return ("description", Description);
        yield return ("status", Status);
    }
}
