using System.Text.Json;
using Traces.Client.Models;
using Traces.Extensions.AI.Recording;

namespace Traces.Extensions.AI.Sinks;

/// <summary>
/// The one place that knows how an attestation travels to the Traces API and how it comes back in a proof bundle
/// (docs/api.md, <c>POST /v1/attestations</c>; entry type <c>ai.attestation</c>, payload
/// <c>{"type", "input", "output", "model_provider", "model_name"}</c>).
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

    /// <summary>The recorded input and output documents of an <c>ai.attestation</c> entry's payload.</summary>
    public static (string? Input, string? Output) ReadDocuments(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object
            ? (StringMember(payload, "input"), StringMember(payload, "output"))
            : (null, null);

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
