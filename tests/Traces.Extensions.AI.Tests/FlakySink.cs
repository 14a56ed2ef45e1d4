using Traces.Extensions.AI.Recording;

namespace Traces.Extensions.AI.Tests;

/// <summary>
/// The real <see cref="Sinks.TracesClientRecordingSink"/>, with an outage switched on and off by the test: while
/// <see cref="Down"/> is set, every call fails as an unreachable service does, before anything is sent.
/// </summary>
public sealed class FlakySink(ITraceRecordingSink inner) : ITraceRecordingSink
{
    public bool Down { get; set; }

    public int FailedCalls { get; private set; }

    public Task<string> StartTraceAsync(TraceStartRequest request, CancellationToken cancellationToken) 
    {
        ThrowIfDown();
        return inner.StartTraceAsync(request, cancellationToken);
    }

    public Task<RecordedEntryReceipt> RecordStepAsync(string traceId, RecordedStep step, CancellationToken cancellationToken) 
    {
        ThrowIfDown();
        return inner.RecordStepAsync(traceId, step, cancellationToken);
    }

    public Task<RecordedEntryReceipt> RecordAttestationAsync(string traceId, RecordedAttestation attestation, CancellationToken cancellationToken) 
    {
        ThrowIfDown();
        return inner.RecordAttestationAsync(traceId, attestation, cancellationToken);
    }

    public Task SealAsync(string traceId, CancellationToken cancellationToken) 
    {
        ThrowIfDown();
        return inner.SealAsync(traceId, cancellationToken);
    }

    public bool IsPermanentFailure(Exception exception) => inner.IsPermanentFailure(exception);

    private void ThrowIfDown()
    {
        if (Down)
        {
            FailedCalls++;
            throw new HttpRequestException("Connection refused (traces.example:443)");
        }
    }
}
