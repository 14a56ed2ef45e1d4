namespace Traces.Extensions.AI.Recording;

/// <summary>
/// Where a <see cref="TraceRecorder"/> writes: a vendor client that can create a trace, append agent steps and AI
/// attestations to it in order, and seal it. <see cref="Sinks.TracesClientRecordingSink"/> adapts
/// <see cref="Traces.Client.TracesClient"/> (this project's API, and Invoance through the same client);
/// <see cref="Sinks.NovyxRecordingSink"/> adapts the Novyx client.
/// </summary>
/// <remarks>
/// The recorder calls one method at a time per trace and waits for it, so entries arrive in the order they happened.
/// A write that failed may be sent again later with the same <c>IdempotencyKey</c>: a sink must pass the key on
/// (or otherwise make the retry create nothing new), so a write that reached the service before failing is not
/// recorded twice.
/// </remarks>
public interface ITraceRecordingSink
{
    /// <summary>Creates an open trace.</summary>
    /// <param name="request">What the trace is about.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new trace id.</returns>
    Task<string> StartTraceAsync(TraceStartRequest request, CancellationToken cancellationToken);

    /// <summary>Appends an agent step.</summary>
    /// <param name="traceId">The open trace.</param>
    /// <param name="step">The step, content already under the content policy.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Where the step landed.</returns>
    Task<RecordedEntryReceipt> RecordStepAsync(string traceId, RecordedStep step, CancellationToken cancellationToken);

    /// <summary>
    /// Appends an AI attestation: one model call's request and response. A vendor without attestations records it as
    /// it best can and says so in its documentation.
    /// </summary>
    /// <param name="traceId">The open trace.</param>
    /// <param name="attestation">The attestation, input and output already under the content policy.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Where the attestation landed.</returns>
    Task<RecordedEntryReceipt> RecordAttestationAsync(string traceId, RecordedAttestation attestation, CancellationToken cancellationToken);

    /// <summary>Seals the trace and waits until it is sealed.</summary>
    /// <param name="traceId">The trace.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the trace is sealed.</returns>
    Task SealAsync(string traceId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether sending the same write again cannot succeed (the service refused its content, or the trace no longer
    /// accepts entries), as opposed to a failure worth retrying (no answer, rate limit, server fault).
    /// </summary>
    /// <param name="exception">What a write threw.</param>
    /// <returns><see langword="true"/> when a retry is pointless.</returns>
    bool IsPermanentFailure(Exception exception);
}
