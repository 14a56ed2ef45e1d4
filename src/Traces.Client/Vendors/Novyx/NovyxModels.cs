using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Traces.Client.Models;
using Traces.Verification.Signatures;

namespace Traces.Client.Vendors.Novyx;

/// <summary>Novyx trace statuses (novyx-docs api-reference/traces.md, List Traces: <c>status</c>).</summary>
public static class NovyxTraceStatus
{
    /// <summary><c>active</c>: steps are accepted.</summary>
    public const string Active = "active";

    /// <summary><c>completed</c>: signed; no more steps.</summary>
    public const string Completed = "completed";

    /// <summary><c>failed</c>.</summary>
    public const string Failed = "failed";

    /// <summary><c>interrupted</c>.</summary>
    public const string Interrupted = "interrupted";
}

/// <summary>The body of <c>POST /v1/traces</c>: the documented members and the official SDK's <c>session_id</c> and <c>metadata</c>.</summary>
public sealed class NovyxStartTraceRequest
{
    /// <summary>The agent (required).</summary>
    public string? AgentId { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }

    /// <summary>Tags for filtering.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>The session (official Python SDK 3.x <c>trace_create</c>).</summary>
    public string? SessionId { get; set; }

    /// <summary>Caller metadata (official Python SDK 3.x <c>trace_create</c>).</summary>
    public JsonObject? Metadata { get; set; }
}

/// <summary>
/// A trace: the answer of <c>POST /v1/traces</c>, an item of <c>GET /v1/traces</c>, and <c>trace</c> of
/// <c>GET /v1/traces/{trace_id}</c>.
/// </summary>
public sealed class NovyxTrace : TracesModel
{
    /// <summary>The trace id (<c>trc_…</c>).</summary>
    public string? TraceId { get; set; }

    /// <summary>The agent.</summary>
    public string? AgentId { get; set; }

    /// <summary>The session, when one was given.</summary>
    public string? SessionId { get; set; }

    /// <summary>A <see cref="NovyxTraceStatus"/> value.</summary>
    public string? Status { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>Caller metadata.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>When the trace was started.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was completed; <c>null</c> while active.</summary>
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>The body of <c>POST /v1/traces/{trace_id}/steps</c>.</summary>
public sealed class NovyxAddStepRequest
{
    /// <summary>
    /// The step type. Novyx reads it case-insensitively: the docs write <c>THOUGHT</c>, the official SDK sends
    /// <c>thought</c>; the value is sent as given.
    /// </summary>
    public StepType Type { get; set; }

    /// <summary>The step's content (required).</summary>
    public string? Content { get; set; }

    /// <summary>Caller metadata.</summary>
    public JsonObject? Metadata { get; set; }
}

/// <summary>The answer of <c>POST /v1/traces/{trace_id}/steps</c>.</summary>
public sealed class NovyxStepReceipt : TracesModel
{
    /// <summary>The step id.</summary>
    public string? StepId { get; set; }

    /// <summary>Zero-based position in the trace.</summary>
    public int? StepIndex { get; set; }

    /// <summary>The step type as recorded.</summary>
    public StepType? Type { get; set; }

    /// <summary>This step's chain hash (its <c>chain_hash</c> in <c>GET /v1/traces/{trace_id}</c>).</summary>
    public string? IntegrityChainHash { get; set; }

    /// <summary>Whether the step was interrupted.</summary>
    public bool? WasInterrupted { get; set; }
}

/// <summary>
/// The answer of <c>POST /v1/traces/{trace_id}/complete</c>: the trace is signed synchronously. The docs' members,
/// and those the official Python SDK 3.x documents (<c>public_key_id</c>, <c>integrity_chain_valid</c>,
/// <c>total_steps</c>).
/// </summary>
public sealed class NovyxCompletion : TracesModel
{
    /// <summary>The trace id.</summary>
    public string? TraceId { get; set; }

    /// <summary><see cref="NovyxTraceStatus.Completed"/>.</summary>
    public string? Status { get; set; }

    /// <summary>The root hash of the integrity chain (lowercase hex), the message the signature covers per the docs.</summary>
    public string? IntegrityRootHash { get; set; }

    /// <summary>The RSA-4096 signature, base64.</summary>
    public string? Signature { get; set; }

    /// <summary>The signing algorithm, e.g. <c>RSA-PSS-SHA256</c>.</summary>
    public string? SignatureAlgorithm { get; set; }

    /// <summary>Steps in the trace.</summary>
    public int? StepCount { get; set; }

    /// <summary>When the trace was signed.</summary>
    public DateTimeOffset? SignedAt { get; set; }

    /// <summary>The signing key's id (official SDK).</summary>
    public string? PublicKeyId { get; set; }

    /// <summary>Whether the server found its chain intact when signing (official SDK).</summary>
    public bool? IntegrityChainValid { get; set; }

    /// <summary>Steps in the trace (official SDK's name for <see cref="StepCount"/>).</summary>
    public int? TotalSteps { get; set; }

    /// <summary>The signature's bytes, or <c>null</c> when <see cref="Signature"/> is absent or not base64.</summary>
    public byte[]? SignatureBytes() => NovyxSignatures.Decode(Signature);
}

/// <summary>The answer of <c>GET /v1/traces</c> (offset paging).</summary>
public sealed class NovyxTraceList : TracesModel
{
    /// <summary>This page's traces.</summary>
    public IReadOnlyList<NovyxTrace>? Traces { get; set; }

    /// <summary>How many traces match the filter in all.</summary>
    public long? Total { get; set; }
}

/// <summary>Filters and page of <c>GET /v1/traces</c>.</summary>
public sealed class NovyxTraceListFilter
{
    /// <summary>Only this agent's traces.</summary>
    public string? AgentId { get; set; }

    /// <summary>Only traces in this <see cref="NovyxTraceStatus"/>.</summary>
    public string? Status { get; set; }

    /// <summary>Page size, 1–100 (Novyx default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>Traces to skip (default 0).</summary>
    public int? Offset { get; set; }
}

/// <summary>A step as <c>GET /v1/traces/{trace_id}</c> lists it.</summary>
public sealed class NovyxStep : TracesModel
{
    /// <summary>The step id.</summary>
    public string? StepId { get; set; }

    /// <summary>Zero-based position.</summary>
    public int? StepIndex { get; set; }

    /// <summary>The step type.</summary>
    public StepType? Type { get; set; }

    /// <summary>The content.</summary>
    public string? Content { get; set; }

    /// <summary>Caller metadata, when the server returns it.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>The step's own hash (formula unpublished: tests/vectors/novyx/FACTS.md).</summary>
    public string? IntegrityHash { get; set; }

    /// <summary>The chain hash after this step.</summary>
    public string? ChainHash { get; set; }

    /// <summary>The previous step's <see cref="ChainHash"/>; <c>null</c> for the first step.</summary>
    public string? PreviousChainHash { get; set; }

    /// <summary>When the step was recorded.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}

/// <summary>The answer of <c>GET /v1/traces/{trace_id}</c>: <c>{trace, steps, step_count}</c>.</summary>
public sealed class NovyxTraceDetails : TracesModel
{
    /// <summary>The trace.</summary>
    public NovyxTrace? Trace { get; set; }

    /// <summary>The steps in order.</summary>
    public IReadOnlyList<NovyxStep>? Steps { get; set; }

    /// <summary>Steps in the trace (may exceed <see cref="Steps"/>' count in the docs' example).</summary>
    public int? StepCount { get; set; }
}

/// <summary>
/// The answer of <c>POST /v1/traces/{trace_id}/verify</c>: the server's own check, only as trustworthy as the server.
/// </summary>
public sealed class NovyxVerification : TracesModel
{
    /// <summary>Chain and signature are valid.</summary>
    public bool? Valid { get; set; }

    /// <summary>The hash chain is intact.</summary>
    public bool? ChainValid { get; set; }

    /// <summary>The RSA signature is valid.</summary>
    public bool? SignatureValid { get; set; }

    /// <summary>Integrity issues: <c>[]</c> in the seed document, <c>null</c> in the current docs when there are none.</summary>
    public JsonArray? Discrepancies { get; set; }

    /// <summary>The trace id (official SDK).</summary>
    public string? TraceId { get; set; }

    /// <summary>Error messages (official SDK).</summary>
    public IReadOnlyList<string>? Errors { get; set; }

    /// <summary>Steps checked (official SDK).</summary>
    public int? StepsVerified { get; set; }
}

/// <summary>
/// The answer of <c>GET /v1/traces/{trace_id}/certificate</c>: root hash, signature and the PEM public key, what an
/// independent check needs. Trust comes from a key you pinned, never from <see cref="PublicKey"/> alone.
/// </summary>
public sealed class NovyxCertificate : TracesModel
{
    /// <summary>The trace id.</summary>
    public string? TraceId { get; set; }

    /// <summary>The root hash of the integrity chain.</summary>
    public string? IntegrityRootHash { get; set; }

    /// <summary>The RSA-4096 signature, base64.</summary>
    public string? Signature { get; set; }

    /// <summary>The public key (PEM) the certificate names.</summary>
    public string? PublicKey { get; set; }

    /// <summary>The signature's bytes, or <c>null</c> when <see cref="Signature"/> is absent or not base64.</summary>
    public byte[]? SignatureBytes() => NovyxSignatures.Decode(Signature);

    /// <summary>Imports <see cref="PublicKey"/> for Traces.Verification (to compare with a pinned key, not to trust it).</summary>
    /// <param name="key">The key, when it imports.</param>
    /// <param name="failureReason">Why it did not.</param>
    /// <returns>Whether the PEM is an acceptable RSA public key.</returns>
    public bool TryImportPublicKey([NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? failureReason) =>
        RsaPublicKey.TryImportPem(PublicKey, out key, out failureReason);
}

/// <summary>The answer of <c>GET /v1/traces/public-key</c> (needs a Bearer token since the docs changed after seed 001).</summary>
public sealed class NovyxPublicKey : TracesModel
{
    /// <summary>The RSA public key, PEM.</summary>
    public string? PublicKey { get; set; }

    /// <summary>The signing algorithm: <c>RSA-SHA256</c> in seed 001, <c>RSA-PSS-SHA256</c> in the current docs.</summary>
    public string? Algorithm { get; set; }

    /// <summary>Imports <see cref="PublicKey"/> for Traces.Verification. Publishing is not trusting: pin the key you verify with.</summary>
    /// <param name="key">The key, when it imports.</param>
    /// <param name="failureReason">Why it did not.</param>
    /// <returns>Whether the PEM is an acceptable RSA public key.</returns>
    public bool TryImportPublicKey([NotNullWhen(true)] out RsaPublicKey? key, [NotNullWhen(false)] out string? failureReason) =>
        RsaPublicKey.TryImportPem(PublicKey, out key, out failureReason);
}

internal static class NovyxSignatures
{
    public static byte[]? Decode(string? base64)
    {
        if (string.IsNullOrEmpty(base64) || !Base64.IsValid(base64, out var length))
        {
            return null;
        }

        var bytes = new byte[length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? bytes[..written] : null;
    }
}
