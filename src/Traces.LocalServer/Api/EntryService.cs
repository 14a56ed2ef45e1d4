using System.Text.Json;
using Traces.LocalServer.Auth;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Idempotency;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Storage;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Api;

/// <summary>Turns a validated payload into a signed, stored entry: the one path for steps, events, documents and attestations.</summary>
internal sealed class EntryService(TraceStore store)
{
    public async Task<JsonResponse> AppendAsync(HttpContext context, string? traceId, string eventType, JsonElement payload,
        Func<EntryRecord, JsonResponse> render)
    {
        if (traceId is not null && !TraceIdentifiers.IsValidId(traceId))
        {
            throw ApiException.TraceNotFound(traceId);
        }

        // The payload is stored in its RFC 8785 form: the exact bytes that were hashed.
        var canonical = JsonInput.CheckSize("payload", payload, Limits.PayloadBytes, ErrorCodes.ValidationError);
        var payloadHash = Digest.Compute(canonical);
        var reply = new TransactionalResponse<EntryRecord>(context, render);
        await store.AppendEntryAsync(ApiKeyMiddleware.Get(context).TenantId, traceId, eventType, JsonInput.Utf8(canonical), payloadHash,
            reply.WithinTransactionAsync, context.RequestAborted);
        return reply.Response;
    }

    public static EntryResponse ToResponse(EntryRecord entry) => new()
    {
        EventId = entry.EventId,
        EventType = entry.EventType,
        TraceId = entry.TraceId,
        Index = entry.Index,
        PayloadHash = entry.PayloadHash,
        ContentHash = entry.ContentHash,
        PreviousChainHash = entry.PreviousChainHash,
        ChainHash = entry.ChainHash,
        IngestedAt = entry.IngestedAt,
        KeyId = entry.KeyId,
        Signature = entry.Signature,
    };

    /// <summary>Builds a payload object from the given members, skipping nulls.</summary>
    public static JsonElement Payload(params (string Name, object? Value)[] members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in members)
            {
                switch (value)
                {
                    case null:
                        break;
                    case string text:
                        writer.WriteString(name, text);
                        break;
                    case bool flag:
                        writer.WriteBoolean(name, flag);
                        break;
                    case JsonElement element:
                        writer.WritePropertyName(name);
                        element.WriteTo(writer);
                        break;
                    default:
                        throw new ArgumentException($"Unsupported payload member type {value.GetType()}.", nameof(members));
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
