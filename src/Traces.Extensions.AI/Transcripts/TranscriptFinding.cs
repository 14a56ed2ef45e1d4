namespace Traces.Extensions.AI.Transcripts;

/// <summary>One way a disclosed transcript and the sealed record disagree, or an entry that could not be checked.</summary>
/// <param name="Code">A <see cref="TranscriptFindingCodes"/> value.</param>
/// <param name="Message">What is wrong, in words.</param>
/// <param name="Index">The entry's position in the trace, when known.</param>
/// <param name="EntryId">The entry's id, when known.</param>
public sealed record TranscriptFinding(string Code, string Message, long? Index, string? EntryId);
