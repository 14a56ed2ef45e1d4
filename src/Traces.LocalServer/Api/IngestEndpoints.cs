using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Traces.LocalServer.Auth;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Storage;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Api;

/// <summary>
/// Invoance ingest (docs/api.md): events, documents and AI attestations, standalone or joined to a trace, on
/// Invoance's paths with Invoance's bodies (Invoance SDK resources/events.ts, documents.ts, attestations.ts); and the
/// event list that two of its SDKs use as their key check.
/// </summary>
internal static class IngestEndpoints
{
    /// <summary>What <c>status</c> says of an item accepted by <c>/document/anchor</c> or <c>/ai/attestations</c>.</summary>
    public const string AnchoredStatus = "anchored";

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

            // event_time: sent by the Invoance SDKs when the caller gives one; accepted as a string, not recorded
            // (the entry's time is the server's ingested_at, docs/api.md).
            _ = input.OptionalString("event_time", 64);
            var traceId = input.OptionalString("trace_id", TraceIdentifiers.MaxLength);
            return await entries.AppendAsync(context, traceId, eventType, payload, e => renderer.Render(201, EntryService.ToResponse(e)));
        })
        .WithName("IngestEvent")
        .AcceptsJson<IngestEventRequest>()
        .Produces<EntryResponse>(StatusCodes.Status201Created);

        group.MapGet("/events", ListEventsAsync).WithName("ListEvents").Produces<EventListResponse>();

        group.MapPost("/document/anchor", AnchorDocumentAsync)
            .WithName("AnchorDocument")
            .AcceptsJson<AnchorDocumentRequest>()
            .Produces<EntryResponse>(StatusCodes.Status201Created);

        group.MapPost("/ai/attestations", IngestAttestationAsync)
            .WithName("IngestAttestation")
            .AcceptsJson<IngestAttestationRequest>()
            .Produces<EntryResponse>(StatusCodes.Status201Created);

        group.MapGet("/me", (HttpContext context) =>
        {
            var caller = ApiKeyMiddleware.Get(context);
            return Results.Json(new MeResponse(true, new MeTenant(caller.TenantId), new MeApiKey(caller.KeyId, caller.KeyPrefix)),
                ServerJsonContext.Default.MeResponse);
        }).WithName("Me").Produces<MeResponse>();
    }

    private static async Task<IResult> AnchorDocumentAsync(HttpContext context, EntryService entries, ResponseRenderer renderer)
    {
        using var input = await JsonInput.ReadObjectAsync(context);
        var hex = DocumentHashHex(input.RequiredString("document_hash", Digest.StringLength));
        var reference = input.OptionalString("document_ref", Limits.DocumentRef);
        var kind = input.OptionalString("event_type", Limits.AttestationType);
        var metadata = input.OptionalObject("metadata", Limits.MetadataBytes, ErrorCodes.MetadataTooLarge);
        var original = input.OptionalString("original_bytes_b64", int.MaxValue);
        if (original is not null)
        {
            // Invoance keeps the original for download; this server anchors by hash only, so the bytes are checked
            // against the hash they claim to have and then dropped (docs/api.md).
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(original);
            }
            catch (FormatException)
            {
                throw ApiException.Validation("original_bytes_b64", "must be base64");
            }

            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != hex)
            {
                throw ApiException.Validation("original_bytes_b64", "must be the document whose SHA-256 is document_hash");
            }
        }

        var traceId = input.OptionalString("trace_id", TraceIdentifiers.MaxLength);
        var payload = EntryService.Payload(("document_hash", Digest.Prefix + hex), ("document_ref", reference), ("event_type", kind),
            ("metadata", metadata), ("has_original", original is null ? null : true));
        return await entries.AppendAsync(context, traceId, "document.anchored", payload,
            e => renderer.Render(201, EntryService.ToResponse(e) with { DocumentHash = hex, CreatedAt = e.IngestedAt, Status = AnchoredStatus }));
    }

    private static async Task<IResult> IngestAttestationAsync(HttpContext context, EntryService entries, ResponseRenderer renderer)
    {
        using var input = await JsonInput.ReadObjectAsync(context);
        var type = input.RequiredString("type", Limits.AttestationType);
        if (!input.Root.TryGetProperty("payload", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            throw ApiException.Validation("payload", "is required: an object with 'input' and 'output'");
        }

        var prompt = Member(body, "payload.input", "input", required: true, Limits.PayloadBytes)!;
        var output = Member(body, "payload.output", "output", required: true, Limits.PayloadBytes)!;
        JsonElement? contextMembers = null;
        if (input.Root.TryGetProperty("context", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Object)
            {
                throw ApiException.Validation("context", "must be a JSON object");
            }

            contextMembers = EntryService.Payload(
                ("model_provider", Member(given, "context.model_provider", "model_provider", required: false, Limits.ShortText)),
                ("model_name", Member(given, "context.model_name", "model_name", required: false, Limits.ShortText)),
                ("model_version", Member(given, "context.model_version", "model_version", required: false, Limits.ShortText)));
        }

        var subject = input.OptionalObject("subject", Limits.MetadataBytes, ErrorCodes.ValidationError);
        var traceId = input.OptionalString("trace_id", TraceIdentifiers.MaxLength);
        var payload = EntryService.Payload(("type", type), ("payload", EntryService.Payload(("input", prompt), ("output", output))),
            ("context", contextMembers), ("subject", subject));
        return await entries.AppendAsync(context, traceId, "ai.attestation", payload,
            e => renderer.Render(201, EntryService.ToResponse(e) with
            {
                AttestationId = e.EventId,
                CreatedAt = e.IngestedAt,
                InputHash = Digest.Compute(Encoding.UTF8.GetBytes(prompt)).ToString(),
                OutputHash = Digest.Compute(Encoding.UTF8.GetBytes(output)).ToString(),
                Status = AnchoredStatus,
            }));
    }

    private static async Task<IResult> ListEventsAsync(HttpContext context, TraceStore store, ResponseRenderer renderer,
        string? page, string? limit, string? event_type)
    {
        var number = Paging.Parse("page", page, 1, Paging.MaxPage, 1);
        var size = Paging.Parse("limit", limit, 1, Limits.MaxEventListSize, Limits.DefaultPageSize);
        var (entries, total) = await store.ListEntriesAsync(ApiKeyMiddleware.Get(context).TenantId, event_type,
            (long)(number - 1) * size, size, context.RequestAborted);
        return renderer.Json(new EventListResponse(
            [.. entries.Select(e => new EventListItem(e.EventId, e.EventType, e.PayloadHash, e.IngestedAt, e.TraceId))],
            number, size, total, (long)(number - 1) * size + entries.Count < total));
    }

    /// <summary>
    /// A string member of a nested object, reported under its dotted path. A required one may be empty (an AI call's
    /// output can be <c>""</c>): only missing or <c>null</c> is refused.
    /// </summary>
    private static string? Member(JsonElement parent, string path, string name, bool required, int maxLength) =>
        JsonInput.OptionalString(parent, path, name, maxLength)
        ?? (required ? throw ApiException.Validation(path, "is required") : null);

    /// <summary>
    /// 64 hex (what the Invoance SDKs send, lowercase) or <c>sha256:</c> + 64 hex (extension), as 64 lowercase hex.
    /// </summary>
    private static string DocumentHashHex(string value)
    {
        var hex = value.StartsWith(Digest.Prefix, StringComparison.OrdinalIgnoreCase) ? value[Digest.Prefix.Length..] : value;
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw ApiException.Validation("document_hash", "must be 64 hex digits (the document's SHA-256), optionally after 'sha256:'");
        }

        return hex.ToLowerInvariant();
    }
}
