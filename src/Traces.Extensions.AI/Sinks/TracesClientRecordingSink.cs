using System.Text.Json.Nodes;
using Traces.Client;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Extensions.AI.Recording;

namespace Traces.Extensions.AI.Sinks;

/// <summary>
/// Records through <see cref="TracesClient"/>: steps with <c>POST /v1/traces/{id}/steps</c> (or as <c>agent.step</c>
/// events, for Invoance, which has no steps), attestations with the attestation endpoint, sealing with
/// <see cref="Traces.Client.Services.TracesService.SealAndWaitAsync"/>. Point the client at this project's API (or the
/// local server) or at Invoance. Each write carries the entry's idempotency key, so a retried write is replayed by
/// the service, never recorded twice.
/// </summary>
public sealed class TracesClientRecordingSink : ITraceRecordingSink
{
    /// <summary>The event type of a step written as an event; the entry is then the same as one the steps endpoint writes.</summary>
    public const string StepEventType = TracesAttestationShape.StepEntryType;

    private readonly TracesClient _client;

    /// <summary>Creates the sink.</summary>
    /// <param name="client">The client (not disposed by the sink).</param>
    /// <param name="stepsAsEvents">
    /// Write steps as <c>POST /v1/events</c> with event type <c>agent.step</c> and payload
    /// <c>{"type", "content", "metadata"}</c> — the entry the steps endpoint makes (docs/api.md) — for a service
    /// without the steps endpoint, such as Invoance.
    /// </param>
    public TracesClientRecordingSink(TracesClient client, bool stepsAsEvents = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        StepsAsEvents = stepsAsEvents;
    }

    /// <summary>Whether steps are written as <c>agent.step</c> events.</summary>
    public bool StepsAsEvents { get; }

    /// <inheritdoc />
    public async Task<string> StartTraceAsync(TraceStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trace = await _client.Traces.CreateAsync(new CreateTraceRequest
        {
            Label = request.Label,
            AgentId = request.AgentId,
            Description = request.Description,
            Tags = request.Tags,
            Metadata = request.Metadata,
        }, cancellationToken).ConfigureAwait(false);
        return trace.TraceId ?? throw new TracesApiException("The service created a trace without a trace_id.");
    }

    /// <inheritdoc />
    public async Task<RecordedEntryReceipt> RecordStepAsync(string traceId, RecordedStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (StepsAsEvents)
        {
            var entry = await _client.Events.RecordAsync(new RecordEventRequest
            {
                EventType = StepEventType,
                Payload = new JsonObject { ["type"] = step.Type.Value, ["content"] = step.Content, ["metadata"] = step.Metadata.DeepClone() },
                TraceId = traceId,
                IdempotencyKey = step.IdempotencyKey,
            }, cancellationToken).ConfigureAwait(false);
            return new RecordedEntryReceipt(entry.EventId, entry.Index);
        }

        var receipt = await _client.Traces.AddStepAsync(traceId, new AddStepRequest
        {
            Type = step.Type,
            Content = step.Content,
            Metadata = step.Metadata.DeepClone().AsObject(),
            IdempotencyKey = step.IdempotencyKey,
        }, cancellationToken).ConfigureAwait(false);
        return new RecordedEntryReceipt(receipt.EventId ?? receipt.StepId, receipt.StepIndex);
    }

    /// <inheritdoc />
    public async Task<RecordedEntryReceipt> RecordAttestationAsync(string traceId, RecordedAttestation attestation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var receipt = await _client.Attestations.CreateAsync(TracesAttestationShape.ToRequest(traceId, attestation), cancellationToken).ConfigureAwait(false);
        return new RecordedEntryReceipt(receipt.EventId ?? receipt.AttestationId, receipt.Index);
    }

    /// <inheritdoc />
    public Task SealAsync(string traceId, CancellationToken cancellationToken) =>
        _client.Traces.SealAndWaitAsync(traceId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Permanent: the service refused the entry (400, 413, 422) or the trace no longer takes entries (404, 409).
    /// Everything else (no answer, 401, 429, 5xx) may succeed later.
    /// </remarks>
    public bool IsPermanentFailure(Exception exception) =>
        exception is TracesApiException { Status: 400 or 404 or 409 or 413 or 422 };
}
