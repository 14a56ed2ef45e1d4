namespace Traces.Extensions.AI.Recording;

/// <summary>Where an entry landed in the trace.</summary>
/// <param name="EntryId">The entry's id (<c>event_id</c>), if the service gives one.</param>
/// <param name="Index">The entry's position in the trace, if the service gives one.</param>
public sealed record RecordedEntryReceipt(string? EntryId, long? Index);
