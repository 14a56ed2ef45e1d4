using Refit;
using Traces.Client.Models;

namespace Traces.Client.Http;

/// <summary>
/// The wire contract of docs/api.md as a Refit interface, except the calls an agent makes per step,
/// <c>GET /v1/traces/{traceId}</c> and <c>POST /v1/traces/{traceId}/steps</c>, which <see cref="ClientCore.SendAsync"/>
/// sends without Refit's per-call work (<see cref="ClientRoute"/>, issue 14 "A lean call"). Invoance's paths (docs/api.md
/// "Invoance paths") and the extensions (steps, complete, verify, certificate, public-key) are listed, and checked
/// against these methods and <see cref="ClientRoute.All"/>, by InvoanceWireTests. Internal: callers use the sub-clients
/// of <see cref="TracesClient"/>. Endpoints whose headers matter (seal) or whose bodies are Traces.Verification
/// documents (proof, certificate, public keys) return the raw response; the rest are typed.
/// </summary>
[Headers("Accept: application/json")]
internal interface ITracesApi
{
    [Post("/v1/traces")]
    Task<TraceDetails> CreateTraceAsync([Body] CreateTraceRequest request, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Get("/v1/traces")]
    Task<TraceList> ListTracesAsync(
        [AliasAs("status")] string? status,
        [AliasAs("agent_id")] string? agentId,
        [AliasAs("from")] string? from,
        [AliasAs("to")] string? to,
        [AliasAs("limit")] int? limit,
        [AliasAs("cursor")] string? cursor,
        [AliasAs("page")] int? page,
        CancellationToken cancellationToken);

    [Delete("/v1/traces/{traceId}")]
    Task<DeleteTraceResult> DeleteTraceAsync(string traceId, CancellationToken cancellationToken);

    [Post("/v1/traces/{traceId}/seal")]
    Task<HttpResponseMessage> SealTraceAsync(string traceId, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Post("/v1/traces/{traceId}/complete")]
    Task<HttpResponseMessage> CompleteTraceAsync(string traceId, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Get("/v1/traces/{traceId}/proof")]
    Task<HttpResponseMessage> GetProofAsync(string traceId, [Property(ResponseBuffering.StreamedKeyName)] bool streamed, CancellationToken cancellationToken);

    // Invoance SDK http.ts getBytes: the PDF is asked for as octet-stream.
    [Get("/v1/traces/{traceId}/proof/pdf")]
    [Headers("Accept: application/pdf, application/octet-stream")]
    Task<HttpResponseMessage> GetProofPdfAsync(string traceId, CancellationToken cancellationToken);

    [Post("/v1/traces/{traceId}/verify")]
    Task<ServerVerificationResult> VerifyTraceAsync(string traceId, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Get("/v1/traces/{traceId}/certificate")]
    Task<HttpResponseMessage> GetCertificateAsync(string traceId, CancellationToken cancellationToken);

    [Get("/v1/traces/public-key")]
    Task<HttpResponseMessage> GetPublicKeysAsync(CancellationToken cancellationToken);

    [Post("/v1/events")]
    Task<EntryReceipt> RecordEventAsync([Body] RecordEventRequest request, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Get("/v1/events")]
    Task<EventList> ListEventsAsync([AliasAs("page")] int? page, [AliasAs("limit")] int? limit, [AliasAs("event_type")] string? eventType,
        CancellationToken cancellationToken);

    [Post("/v1/document/anchor")]
    Task<EntryReceipt> AnchorDocumentAsync([Body] AnchorDocumentRequest request, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Post("/v1/ai/attestations")]
    Task<EntryReceipt> CreateAttestationAsync([Body] AttestationBody request, [Header("Idempotency-Key")] string? idempotencyKey, CancellationToken cancellationToken);

    [Get("/v1/me")]
    Task<CallerIdentity> GetMeAsync(CancellationToken cancellationToken);
}
