using System.Text.Json.Nodes;
using Traces.Client.Models;
using Traces.Extensions.AI.Transcripts;

namespace Traces.Extensions.AI.Recording;

/// <summary>An entry waiting to be written: what is sent, and what the transcript keeps in full.</summary>
internal abstract class QueuedEntry
{
    /// <summary>
    /// Every attempt to write this entry carries the same key, so a retry never records it twice. A version 7 UUID,
    /// time-ordered as the client's own keys are (docs/resilience.md, "Idempotency keys").
    /// </summary>
    public string IdempotencyKey { get; } = "ai-" + Guid.CreateVersion7().ToString("N");

    /// <summary>Whether a write failed while this entry waited: once written, it is reported as late.</summary>
    public bool Delayed { get; set; }

    /// <summary>What the entry is, for a gap notice: <c>ACTION step</c>, <c>attestation</c>.</summary>
    public abstract string Description { get; }

    public abstract Task<RecordedEntryReceipt> WriteAsync(ITraceRecordingSink sink, string traceId, CancellationToken cancellationToken);

    public abstract TranscriptEntry ToTranscript(RecordedEntryReceipt receipt);
}

internal sealed class QueuedStep(StepType type, string recordedContent, JsonObject metadata, string fullContent, string contentPolicy) : QueuedEntry
{
    public RecordedStep Recorded => new(type, recordedContent, metadata, IdempotencyKey);

    public StepType Type => type;

    public override string Description => $"{type} step";

    public override Task<RecordedEntryReceipt> WriteAsync(ITraceRecordingSink sink, string traceId, CancellationToken cancellationToken) =>
        sink.RecordStepAsync(traceId, Recorded, cancellationToken);

    public override TranscriptEntry ToTranscript(RecordedEntryReceipt receipt) => new()
    {
        EntryId = receipt.EntryId,
        Index = receipt.Index,
        Kind = TranscriptEntry.StepKind,
        StepType = type.Value,
        ContentPolicy = contentPolicy,
        Content = fullContent,
    };
}

internal sealed class QueuedAttestation(string type, string recordedInput, string recordedOutput, string? provider, string? modelId, string fullInput, string fullOutput, string contentPolicy) : QueuedEntry
{
    public RecordedAttestation Recorded => new(type, recordedInput, recordedOutput, provider, modelId, IdempotencyKey);

    public override string Description => "attestation";

    public override Task<RecordedEntryReceipt> WriteAsync(ITraceRecordingSink sink, string traceId, CancellationToken cancellationToken) =>
        sink.RecordAttestationAsync(traceId, Recorded, cancellationToken);

    public override TranscriptEntry ToTranscript(RecordedEntryReceipt receipt) => new()
    {
        EntryId = receipt.EntryId,
        Index = receipt.Index,
        Kind = TranscriptEntry.AttestationKind,
        ContentPolicy = contentPolicy,
        Input = fullInput,
        Output = fullOutput,
    };
}
