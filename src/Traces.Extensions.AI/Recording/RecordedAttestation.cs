namespace Traces.Extensions.AI.Recording;

/// <summary>One model call as an AI attestation (docs/ai-recording.md §3), input and output under the content policy.</summary>
/// <param name="Type">The attestation type (<see cref="TraceRecorderOptions.AttestationType"/>).</param>
/// <param name="Input">The request: canonical JSON with the messages and the tools offered.</param>
/// <param name="Output">The response: canonical JSON with the messages, finish reason, response id and token usage.</param>
/// <param name="ModelProvider">The provider the chat client reports (<c>ChatClientMetadata.ProviderName</c>), if any.</param>
/// <param name="ModelId">The model id the response reports (<c>ChatResponse.ModelId</c>), if any.</param>
/// <param name="IdempotencyKey">The same for every attempt to write this attestation.</param>
public sealed record RecordedAttestation(string Type, string Input, string Output, string? ModelProvider, string? ModelId, string IdempotencyKey);
