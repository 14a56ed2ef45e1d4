using System.Text.Json;
using Traces.LocalServer.Errors;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Api;

/// <summary>Invoance ingest (docs/api.md): events, documents and AI attestations, standalone or joined to a trace.</summary>
internal static class IngestEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Ingest").ProducesStandardProblems();

        group.MapPost("/events", async (HttpContext context, EntryService entries, ResponseRenderer renderer) =>
        {
            using var input = await JsonInput.ReadObjectAsync(context);
            var eventType = input.RequiredString("event_type", TraceIdentifiers.MaxLength);
            if (!TraceIdentifiers.IsValidEventType(eventType))
            {
                throw ApiException.Validation("event_type", "must start with a letter or digit and contain only letters, digits, '.', '_', ':', '-' or '/'");
            }

            if (eventType == SealEvent.Type)
            {
                throw ApiException.Validation("event_type", $"'{SealEvent.Type}' is reserved for seal events");
            }

            if (!input.Root.TryGetProperty("payload", out var payload) || payload.ValueKind == JsonValueKind.Null)
            {
                throw ApiException.Validation("payload", "is required");
            }

            var traceId = input.OptionalString("trace_id", TraceIdentifiers.MaxLength);
            return await entries.AppendAsync(context, traceId, eventType, payload, e => renderer.Render(201, EntryService.ToResponse(e)));
        })
        .WithName("IngestEvent")
        .AcceptsJson<IngestEventRequest>()
        .Produces<EntryResponse>(StatusCodes.Status201Created);

        group.MapPost("/documents", async (HttpContext context, EntryService entries, ResponseRenderer renderer) =>
        {
            using var input = await JsonInput.ReadObjectAsync(context);
            var hash = NormalizeDocumentHash(input.RequiredString("document_hash", Digest.StringLength));
            var reference = input.OptionalString("document_ref", Limits.DocumentRef);
            var traceId = input.OptionalString("trace_id", TraceIdentifiers.MaxLength);
            var payload = EntryService.Payload(("document_hash", hash), ("document_ref", reference));
            return await entries.AppendAsync(context, traceId, "document.anchored", payload,
                e => renderer.Render(201, EntryService.ToResponse(e, document: true)));
        })
        .WithName("AnchorDocument")
        .AcceptsJson<AnchorDocumentRequest>()
        .Produces<EntryResponse>(StatusCodes.Status201Created);

        group.MapPost("/attestations", async (HttpContext context, EntryService entries, ResponseRenderer renderer) =>
        {
            using var input = await JsonInput.ReadObjectAsync(context);
            var type = input.RequiredString("type", Limits.AttestationType);
            var prompt = input.RequiredString("input", Limits.PayloadBytes);
            var output = input.RequiredString("output", Limits.PayloadBytes);
            var provider = input.OptionalString("model_provider", Limits.ShortText);
            var model = input.OptionalString("model_name", Limits.ShortText);
            var traceId = input.OptionalString("trace_id", TraceIdentifiers.MaxLength);
            var payload = EntryService.Payload(("type", type), ("input", prompt), ("output", output),
                ("model_provider", provider), ("model_name", model));
            return await entries.AppendAsync(context, traceId, "ai.attestation", payload,
                e => renderer.Render(201, EntryService.ToResponse(e, attestation: true)));
        })
        .WithName("IngestAttestation")
        .AcceptsJson<IngestAttestationRequest>()
        .Produces<EntryResponse>(StatusCodes.Status201Created);
    }

    /// <summary><c>sha256:</c> + 64 hex, or bare 64 hex; hex is normalized to lowercase (docs/api.md documents).</summary>
    private static string NormalizeDocumentHash(string value)
    {
        var hex = value.StartsWith(Digest.Prefix, StringComparison.OrdinalIgnoreCase) ? value[Digest.Prefix.Length..] : value;
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw ApiException.Validation("document_hash", "must be 'sha256:' followed by 64 hex digits, or 64 hex digits");
        }

        return Digest.Prefix + hex.ToLowerInvariant();
    }
}
