namespace Traces.Extensions.AI.Transcripts;

/// <summary>Stable codes of <see cref="TranscriptFinding"/> (docs/ai-recording.md §6).</summary>
public static class TranscriptFindingCodes
{
    /// <summary>The transcript names another trace than the bundle's.</summary>
    public const string TraceMismatch = "transcript.trace_mismatch";

    /// <summary>A transcript entry has no entry in the bundle (by id, else by index).</summary>
    public const string EntryMissing = "transcript.entry_missing";

    /// <summary>Transcript entries are not in the bundle's order.</summary>
    public const string OrderMismatch = "transcript.order_mismatch";

    /// <summary>The bundle entry is not a step (or not an attestation) as the transcript says.</summary>
    public const string KindMismatch = "transcript.kind_mismatch";

    /// <summary>The step's type differs.</summary>
    public const string StepTypeMismatch = "transcript.step_type_mismatch";

    /// <summary>The record was written under another content policy than the transcript says.</summary>
    public const string PolicyMismatch = "transcript.policy_mismatch";

    /// <summary>The disclosed content does not give what the record holds (its text, or its hash).</summary>
    public const string ContentMismatch = "transcript.content_mismatch";

    /// <summary>The record holds a redaction: the disclosed content cannot be checked against it.</summary>
    public const string NotCheckable = "transcript.not_checkable";

    /// <summary>The bundle has a step or attestation between the transcript's first and last entries that the transcript leaves out.</summary>
    public const string EntryOmitted = "transcript.entry_omitted";
}
