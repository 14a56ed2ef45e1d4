using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Vendors.Novyx;
using Traces.Extensions.AI.Content;
using Traces.Extensions.AI.Recording;

namespace Traces.Extensions.AI.Sinks;

/// <summary>
/// Records through <see cref="NovyxClient"/> (docs/vendors.md, Novyx): steps with <c>POST /v1/traces/{id}/steps</c>,
/// sealing with <c>POST /v1/traces/{id}/complete</c>. Novyx has no attestations: a model call's attestation is written
/// as an <c>ACTION</c> step (calling the model is the agent's external action) whose content is
/// <c>JCS({"input", "output"})</c> and whose metadata says it is one (<c>entry: "ai.attestation"</c>, <c>type</c>,
/// <c>model_provider</c>, <c>model_name</c>).
/// </summary>
/// <remarks>
/// Novyx documents no <c>Idempotency-Key</c>. Each step therefore carries its key in its metadata
/// (<c>recording_key</c>), and a write that failed is not simply sent again: the trace's steps are read first
/// (<c>GET /v1/traces/{id}</c>), and a step already holding that key is taken as written. Should Novyx answer with a
/// truncated step list, a duplicate can still occur; it carries the same <c>recording_key</c>, so a reader can tell.
/// </remarks>
public sealed class NovyxRecordingSink : ITraceRecordingSink
{
    /// <summary>The metadata member that carries each step's idempotency key.</summary>
    public const string RecordingKeyMember = "recording_key";

    private readonly NovyxClient _client;
    private readonly HashSet<string> _uncertain = new(StringComparer.Ordinal);

    /// <summary>Creates the sink.</summary>
    /// <param name="client">The Novyx client (not disposed by the sink).</param>
    public NovyxRecordingSink(NovyxClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <inheritdoc />
    /// <remarks>Novyx requires an agent id: <see cref="TraceStartRequest.AgentId"/>, else the label.</remarks>
    public async Task<string> StartTraceAsync(TraceStartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trace = await _client.StartTraceAsync(new NovyxStartTraceRequest
        {
            AgentId = request.AgentId ?? request.Label,
            Description = request.Description,
            Tags = request.Tags is null ? null : [.. request.Tags],
            Metadata = request.Metadata?.DeepClone().AsObject(),
        }, cancellationToken).ConfigureAwait(false);
        return trace.TraceId ?? throw new TracesApiException("Novyx started a trace without a trace_id.");
    }

    /// <inheritdoc />
    public Task<RecordedEntryReceipt> RecordStepAsync(string traceId, RecordedStep step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return WriteAsync(traceId, step.Type, step.Content, step.Metadata.DeepClone().AsObject(), step.IdempotencyKey, cancellationToken);
    }

    /// <inheritdoc />
    public Task<RecordedEntryReceipt> RecordAttestationAsync(string traceId, RecordedAttestation attestation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attestation);
        var metadata = new JsonObject
        {
            ["entry"] = "ai.attestation",
            ["type"] = attestation.Type,
            ["model_provider"] = attestation.ModelProvider,
            ["model_name"] = attestation.ModelId,
        };
        var content = ChatRendering.Canonical(new JsonObject { ["input"] = attestation.Input, ["output"] = attestation.Output });
        return WriteAsync(traceId, StepType.Action, content, metadata, attestation.IdempotencyKey, cancellationToken);
    }

    /// <inheritdoc />
    public Task SealAsync(string traceId, CancellationToken cancellationToken) => _client.CompleteTraceAsync(traceId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Permanent: Novyx refused the step (400, 413, 422) or the trace no longer takes steps (404, 409).</remarks>
    public bool IsPermanentFailure(Exception exception) =>
        exception is TracesApiException { Status: 400 or 404 or 409 or 413 or 422 };

    private async Task<RecordedEntryReceipt> WriteAsync(string traceId, StepType type, string content, JsonObject metadata, string key, CancellationToken cancellationToken)
    {
        metadata[RecordingKeyMember] = key;
        if (Uncertain(key, null) && await FindAsync(traceId, key, cancellationToken).ConfigureAwait(false) is { } written)
        {
            Uncertain(key, false);
            return written;
        }

        try
        {
            var receipt = await _client.AddStepAsync(traceId, new NovyxAddStepRequest { Type = type, Content = content, Metadata = metadata }, cancellationToken).ConfigureAwait(false);
            Uncertain(key, false);
            return new RecordedEntryReceipt(receipt.StepId, receipt.StepIndex);
        }
        catch (Exception ex) when (!IsPermanentFailure(ex))
        {
            // The step may have reached Novyx before the failure: look before writing it again.
            Uncertain(key, true);
            throw;
        }
    }

    // Whether a write of this key failed without an answer; set (true), cleared (false) or read (null). One sink may
    // serve several recorders at once.
    private bool Uncertain(string key, bool? set)
    {
        lock (_uncertain)
        {
            return set switch
            {
                true => _uncertain.Add(key),
                false => _uncertain.Remove(key),
                null => _uncertain.Contains(key),
            };
        }
    }

    private async Task<RecordedEntryReceipt?> FindAsync(string traceId, string key, CancellationToken cancellationToken)
    {
        var trace = await _client.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        var step = trace.Steps?.FirstOrDefault(s => s.Metadata?[RecordingKeyMember] is JsonValue value && value.TryGetValue<string>(out var k) && k == key);
        return step is null ? null : new RecordedEntryReceipt(step.StepId, step.StepIndex);
    }
}
