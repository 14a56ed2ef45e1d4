namespace Traces.Verification.Reports;

/// <summary>Names one entry of a trace: its index and, when it could be read, its id.</summary>
/// <param name="EntryIndex">Zero-based position.</param>
/// <param name="EventId">The entry's <c>event_id</c>.</param>
public sealed record EntryReference(long EntryIndex, string? EventId);
