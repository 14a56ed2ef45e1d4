using Traces.Client.Http;
using Traces.Client.Models;

namespace Traces.Client.Services;

/// <summary>AI attestations (<c>POST /v1/ai/attestations</c>, Invoance's path and nested body). Reached through <see cref="TracesClient.Attestations"/>.</summary>
public class AttestationsService
{
    private readonly ClientCore _core = null!;

    /// <summary>For mocking.</summary>
    protected AttestationsService()
    {
    }

    internal AttestationsService(ClientCore core) => _core = core;

    /// <summary>Records a signed AI attestation, chained into <see cref="CreateAttestationRequest.TraceId"/> when given.</summary>
    /// <param name="request">The attestation.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed entry (<see cref="EntryReceipt.AttestationId"/> repeats its id).</returns>
    public virtual Task<EntryReceipt> CreateAsync(CreateAttestationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientValidation.Required(request.Type, "CreateAttestationRequest.Type", "an attestation type such as 'output'");
        var key = _core.IdempotencyKeyFor(request.IdempotencyKey);
        var body = AttestationBody.From(request);
        return _core.CallAsync("Attestations.Create", request.TraceId, ct => _core.Api.CreateAttestationAsync(body, key, ct), cancellationToken);
    }
}
