using System.Text.Json;
using Traces.Client.Models;
using Traces.Extensions.AI.Recording;

namespace Traces.Extensions.AI.Sinks;

/// <summary>
/// The one place that knows how an attestation travels to the Traces API and how it comes back in a proof bundle
/// (docs/api.md): entry type <c>ai.attestation</c>, whose payload is <c>{"type", "input", "output", "model_provider",
/// "model_name"}</c>, or, in Invoance's shape (<c>POST /v1/ai/attestations</c>, Invoance SDK <c>attestations.ingest</c>),
/// <c>{"type", "payload": {"input", "output"}, "context": {...}, "subject"}</c>.
/// </summary>
internal static class TracesAttestationShape
{
    public const string EntryType = "ai.attestation";

    public const string StepEntryType = "agent.step";

    public static CreateAttestationRequest ToRequest(string traceId, RecordedAttestation attestation) => new()
    {
        Type = attestation.Type,
        Input = attestation.Input,
        Output = attestation.Output,
        ModelProvider = attestation.ModelProvider,
        ModelName = attestation.ModelId,
        TraceId = traceId,
        IdempotencyKey = attestation.IdempotencyKey,
    };

    /// <summary>The recorded input and output documents of an <c>ai.attestation</c> entry's payload, in either shape.</summary>
    public static (string? Input, string? Output) ReadDocuments(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var holder = payload.TryGetProperty("payload", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : payload;
        return (StringMember(holder, "input"), StringMember(holder, "output"));
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
