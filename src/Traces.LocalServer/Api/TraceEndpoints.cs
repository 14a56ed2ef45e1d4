using System.Globalization;
using System.Text.Json;
using Traces.LocalServer.Auth;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Idempotency;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Sealing;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Storage;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Api;

/// <summary>The trace lifecycle of docs/api.md: create, list, get, delete, steps, seal, proof, verify, certificate, public key.</summary>
internal static class TraceEndpoints
{
    private static readonly string[] s_stepTypes = ["THOUGHT", "ACTION", "OBSERVATION", "OUTPUT", "ERROR", "POLICY_CHECK"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/traces").WithTags("Traces").ProducesStandardProblems();

        group.MapGet("/public-key", async (ServerKeys keys, HttpContext context) =>
            BundleDocuments.Json(await keys.ToPublishedKeySetAsync(context.RequestAborted), TracesJsonContext.Default.PublishedKeySet))
            .WithName("GetPublicKeys")
            .Produces<PublishedKeySet>();

        group.MapPost("", CreateAsync).WithName("CreateTrace")
            .AcceptsJson<CreateTraceRequest>()
            .Produces<CreatedTraceResponse>(StatusCodes.Status201Created);

        group.MapGet("", ListAsync).WithName("ListTraces").Produces<TraceListResponse>();

        group.MapGet("/{traceId}", GetAsync).WithName("GetTrace").Produces<TraceDetailResponse>();

        group.MapDelete("/{traceId}", async (string traceId, HttpContext context, TraceStore store, ResponseRenderer renderer) =>
        {
            if (!TraceIdentifiers.IsValidId(traceId))
            {
                throw ApiException.TraceNotFound(traceId);
            }

            await store.DeleteEmptyTraceAsync(ApiKeyMiddleware.Get(context).TenantId, traceId, context.RequestAborted);
            return renderer.Json(new DeleteTraceResponse(traceId, true));
        }).WithName("DeleteTrace").Produces<DeleteTraceResponse>();

        group.MapPost("/{traceId}/steps", AddStepAsync).WithName("AddStep")
            .AcceptsJson<AddStepRequest>()
            .Produces<StepResponse>(StatusCodes.Status201Created);

        group.MapPost("/{traceId}/seal", SealAsync).WithName("SealTrace").Produces<SealResponse>(StatusCodes.Status202Accepted);
        group.MapPost("/{traceId}/complete", SealAsync).WithName("CompleteTrace").Produces<SealResponse>(StatusCodes.Status202Accepted);

        group.MapGet("/{traceId}/proof", async (string traceId, HttpContext context, TraceStore store, BundleAssembler assembler) =>
        {
            var trace = RequireSealed(await FindAsync(context, store, traceId), conflictStatus: 409);
            return new StreamedJsonResult(http => assembler.WriteProofAsync(trace, http.Response, http.RequestAborted));
        }).WithName("GetProof").Produces<ProofBundle>();

        // The proof for people (docs/api.md; Invoance SDK traces.proofPdf asks with Accept: application/octet-stream).
        group.MapGet("/{traceId}/proof/pdf", async (string traceId, HttpContext context, TraceStore store, BundleAssembler assembler,
            ServerVerification verification) =>
        {
            var trace = RequireSealed(await FindAsync(context, store, traceId), conflictStatus: 409);
            var bundle = await assembler.AssembleAsync(trace, context.RequestAborted)
                ?? throw new InvalidOperationException($"Sealed trace {traceId} has no stored seal.");
            return Results.File(ProofPdf.Render(bundle, await verification.VerifyAsync(bundle, context.RequestAborted)), "application/pdf", $"{trace.TraceId}.pdf");
        }).WithName("GetProofPdf").Produces(StatusCodes.Status200OK, contentType: "application/pdf");

        group.MapGet("/{traceId}/certificate", async (string traceId, HttpContext context, TraceStore store) =>
        {
            var trace = RequireSealed(await FindAsync(context, store, traceId), conflictStatus: 409);
            var certificate = await BundleAssembler.CertificateAsync(store, trace.TraceId, context.RequestAborted)
                ?? throw new InvalidOperationException($"Sealed trace {traceId} has no stored seal.");
            return BundleDocuments.Json(certificate, TracesJsonContext.Default.TraceCertificate);
        }).WithName("GetCertificate").Produces<TraceCertificate>();

        group.MapPost("/{traceId}/verify", async (string traceId, HttpContext context, TraceStore store, BundleAssembler assembler,
            ServerVerification verification, ResponseRenderer renderer) =>
        {
            var trace = RequireSealed(await FindAsync(context, store, traceId), conflictStatus: 400);
            ProofBundle bundle;
            try
            {
                bundle = await assembler.AssembleAsync(trace, context.RequestAborted)
                    ?? throw new InvalidOperationException($"Sealed trace {traceId} has no stored seal.");
            }
            catch (System.Text.Json.JsonException exception)
            {
                return renderer.Json(verification.Unreadable(trace.TraceId, exception.Message));
            }

            return renderer.Json(await verification.VerifyAsync(bundle, context.RequestAborted));
        }).WithName("VerifyTrace").Produces<VerifyResponse>();
    }

    private static async Task<IResult> CreateAsync(HttpContext context, TraceStore store, ResponseRenderer renderer)
    {
        using var input = await JsonInput.ReadObjectAsync(context);
        var agentId = input.OptionalString("agent_id", TraceIdentifiers.MaxLength);
        string? label;
        try
        {
            label = input.OptionalString("label", Limits.Label);
        }
        catch (ApiException ex) when (ex.Code == ErrorCodes.ValidationError)
        {
            throw InvalidLabel("must be a string of at most 255 characters");
        }

        if (label is null && agentId is null)
        {
            throw InvalidLabel("is required unless agent_id is given");
        }

        if (label is not null && string.IsNullOrWhiteSpace(label))
        {
            throw InvalidLabel("must not be empty");
        }

        if (agentId is not null && string.IsNullOrWhiteSpace(agentId))
        {
            throw ApiException.Validation("agent_id", "must not be empty");
        }

        var description = input.OptionalString("description", Limits.Description);
        var tags = input.OptionalStringArray("tags", Limits.Tags, Limits.Tag);
        var metadata = input.OptionalObject("metadata", Limits.MetadataBytes, ErrorCodes.MetadataTooLarge);
        var reply = new TransactionalResponse<TraceRecord>(context, trace => renderer.Render(StatusCodes.Status201Created, new CreatedTraceResponse
        {
            TraceId = trace.TraceId,
            Status = trace.Status,
            CreatedAt = trace.CreatedAt,
            Label = label,
            AgentId = agentId,
            Description = description,
            Tags = tags,
            Metadata = metadata,
        }, location: $"/v1/traces/{trace.TraceId}"));
        await store.CreateTraceAsync(ApiKeyMiddleware.Get(context).TenantId, label, agentId, description,
            tags is null ? null : JsonSerializer.Serialize(tags, ServerJsonContext.Default.IReadOnlyListString),
            metadata is null ? null : JsonInput.Utf8(ProofPrimitives.Canonicalize(metadata.Value)),
            reply.WithinTransactionAsync, context.RequestAborted);
        return reply.Response;
    }

    /// <summary>
    /// One trace. Invoance's <c>event_page</c>/<c>event_limit</c> page the entries (Invoance SDK models/traces.ts:
    /// default 50, at most 200); without them every entry is answered (docs/api.md).
    /// </summary>
    private static async Task<IResult> GetAsync(string traceId, HttpContext context, TraceStore store, ResponseRenderer renderer,
        string? event_page, string? event_limit)
    {
        var trace = await FindAsync(context, store, traceId);
        if (event_page is null && event_limit is null)
        {
            // Every entry, streamed (issue 14): written as they are read, a page at a time; the bytes are those of the
            // whole response serialized at once. Metadata (the caller's JSON) comes before "events" and may hold the
            // same text, so the member is the last occurrence (after "events" come only numbers and booleans), and
            // "limit", after "events", is the number of entries written.
            var (head, _) = StreamedJson.Split(renderer.Serialize(ToDetail(trace, [], page: 1, limit: 0, hasMore: false)), "events", lastOccurrence: true);
            return new StreamedJsonResult(http => StreamedJson.WriteAsync(http.Response, head,
                count => StreamedJson.Split(renderer.Serialize(ToDetail(trace, [], page: 1, limit: checked((int)count), hasMore: false)), "events",
                    lastOccurrence: true).Tail,
                store.ReadEntryPagesAsync(trace.TraceId, http.RequestAborted), ToSummary, renderer.TypeInfo<EntrySummary>(), elementDepth: 2,
                http.RequestAborted));
        }

        var page = Paging.Parse("event_page", event_page, 1, Paging.MaxPage, 1);
        var size = Paging.Parse("event_limit", event_limit, 1, Limits.MaxEventPageSize, Limits.DefaultEventPageSize);
        var offset = (long)(page - 1) * size;
        var entries = await store.GetEntriesAsync(trace.TraceId, offset, size, context.RequestAborted);
        return renderer.Json(ToDetail(trace, entries, page, size, hasMore: offset + entries.Count < trace.EventCount));
    }

    private static async Task<IResult> ListAsync(HttpContext context, TraceStore store, ResponseRenderer renderer, string? status, string? agent_id,
        string? from, string? to, string? limit, string? cursor, string? page)
    {
        if (page is not null && cursor is not null)
        {
            throw ApiException.Validation("page", "cannot be combined with cursor");
        }

        var number = Paging.Parse("page", page, 1, Paging.MaxPage, 1);
        if (status is not null && !TraceStatus.IsKnown(status))
        {
            throw ApiException.Validation("status", "must be one of open, sealing, sealed, failed");
        }

        var size = Paging.Parse("limit", limit, 1, Limits.MaxPageSize, Limits.DefaultPageSize);

        TraceCursor? position = null;
        if (cursor is not null && !TraceCursor.TryDecode(cursor, out position))
        {
            throw ApiException.Validation("cursor", "is not a cursor returned by this endpoint");
        }

        var filter = new TraceListFilter(status, agent_id, Bound("from", from), Bound("to", to));
        var offset = position is null ? (long)(number - 1) * size : 0;
        var found = await store.ListTracesAsync(ApiKeyMiddleware.Get(context).TenantId, filter, position, offset, size, context.RequestAborted);
        return renderer.Json(new TraceListResponse(
            [.. found.Traces.Select(t => new TraceSummary(t.TraceId, t.Label, t.AgentId, t.Status, t.EventCount, t.CreatedAt, t.SealedAt, t.CompositeHash))],
            position is null ? number : null, size, found.Total, found.HasMore, found.NextCursor));
    }

    private static async Task<IResult> AddStepAsync(string traceId, HttpContext context, EntryService entries, ResponseRenderer renderer)
    {
        using var input = await JsonInput.ReadObjectAsync(context);
        var type = input.RequiredString("type", 32);
        if (!s_stepTypes.Contains(type, StringComparer.Ordinal))
        {
            throw ApiException.Validation("type", "must be one of " + string.Join(", ", s_stepTypes));
        }

        var content = input.RequiredString("content", Limits.PayloadBytes);
        var metadata = input.OptionalObject("metadata", Limits.MetadataBytes, ErrorCodes.MetadataTooLarge)
            ?? JsonInput.EmptyObject;
        var payload = EntryService.Payload(("type", type), ("content", content), ("metadata", metadata));
        return await entries.AppendAsync(context, traceId, "agent.step", payload, entry => renderer.Render(StatusCodes.Status201Created,
            new StepResponse(entry.EventId, entry.Index!.Value, entry.ChainHash!, entry.EventId, entry.PayloadHash, entry.ContentHash, entry.IngestedAt)));
    }

    private static async Task<IResult> SealAsync(string traceId, HttpContext context, TraceStore store, SealQueue queue,
        ResponseRenderer renderer)
    {
        if (!TraceIdentifiers.IsValidId(traceId))
        {
            throw ApiException.TraceNotFound(traceId);
        }

        var trace = await store.BeginSealAsync(ApiKeyMiddleware.Get(context).TenantId, traceId, context.RequestAborted);
        if (trace.Status == TraceStatus.Sealing)
        {
            queue.Enqueue(traceId);
        }

        context.Response.Headers.RetryAfter = "1";
        var message = trace.Status switch
        {
            TraceStatus.Sealed => "Trace is sealed.",
            TraceStatus.Failed => "Sealing failed; see GET /v1/traces/" + traceId + ".",
            _ => $"Seal initiated. Poll GET /v1/traces/{traceId} for completion.",
        };
        return renderer.Render(StatusCodes.Status202Accepted, new SealResponse(traceId, trace.Status, message), $"/v1/traces/{traceId}");
    }

    private static async Task<TraceRecord> FindAsync(HttpContext context, TraceStore store, string traceId) =>
        (TraceIdentifiers.IsValidId(traceId)
            ? await store.GetTraceAsync(ApiKeyMiddleware.Get(context).TenantId, traceId, context.RequestAborted)
            : null) ?? throw ApiException.TraceNotFound(traceId);

    /// <summary>Proof and certificate: 409 while open or sealing. Verify: 400 before sealing (docs/api.md).</summary>
    private static TraceRecord RequireSealed(TraceRecord trace, int conflictStatus) => trace.Status switch
    {
        TraceStatus.Sealed => trace,
        TraceStatus.Sealing when conflictStatus == 409 => throw new ApiException(409, ErrorCodes.TraceSealing, "Trace is sealing",
            $"Trace {trace.TraceId} is being sealed; try again shortly."),
        _ => throw new ApiException(conflictStatus, ErrorCodes.TraceNotSealed, "Trace is not sealed",
            $"Trace {trace.TraceId} is {trace.Status}; it must be sealed first."),
    };

    /// <summary>The response of <c>GET /v1/traces/{id}</c> in one piece (the streamed one is tested against it).</summary>
    internal static TraceDetailResponse ToDetail(TraceRecord trace, IReadOnlyList<EntryRecord> entries, int page, int limit, bool hasMore)
    {
        using var metadata = JsonDocument.Parse(trace.MetadataJson ?? "{}");
        return new TraceDetailResponse(trace.TraceId, trace.Label, trace.AgentId, trace.Description,
            trace.TagsJson is null ? [] : JsonSerializer.Deserialize(trace.TagsJson, ServerJsonContext.Default.ListString)!,
            metadata.RootElement.Clone(), trace.Status, trace.EventCount, trace.CreatedAt, trace.SealedAt, trace.CompositeHash,
            trace.IntegrityRootHash, trace.SealEventId,
            trace.ErrorCode is null ? null : new TraceError(trace.ErrorCode, trace.ErrorMessage ?? ""),
            [.. entries.Select(ToSummary)],
            page, limit, trace.EventCount, hasMore);
    }

    private static EntrySummary ToSummary(EntryRecord e) =>
        new(e.Index, e.EventId, e.EventType, e.PayloadHash, e.ContentHash, e.PreviousChainHash, e.ChainHash, e.IngestedAt);

    /// <summary>An RFC 3339 bound as the canonical string, so it compares with stored <c>created_at</c> as text.</summary>
    private static string? Bound(string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            || !value.Contains('T', StringComparison.Ordinal))
        {
            throw ApiException.Validation(field, "must be an RFC 3339 timestamp");
        }

        return TraceTimestamp.ToCanonicalString(instant);
    }

    private static ApiException InvalidLabel(string message) =>
        new(400, ErrorCodes.InvalidLabel, "Invalid label", $"'label' {message}.",
            new Dictionary<string, string[]> { ["label"] = [message] });
}
