using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Traces.Verification.Hashing;

namespace Traces.Verification.Anchors;

/// <summary>
/// A signed audit checkpoint published by Novyx (novyxlabs/novyx-anchors):
/// <c>{checkpoint_id, created_at, tenant_count, total_entries, previous_checkpoint_hash, payload_hash, signature, key_fingerprint}</c>.
/// Immutable. Parsing checks form only; <see cref="NovyxCheckpointVerifier"/> checks the signature and the chain.
/// </summary>
public sealed class NovyxCheckpoint : IEquatable<NovyxCheckpoint>
{
    private readonly byte[] _signature;

    /// <summary>Creates a checkpoint from its fields (the signature bytes are copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="checkpointId"/> is less than 1.</exception>
    public NovyxCheckpoint(
        long checkpointId,
        DateTimeOffset createdAt,
        long tenantCount,
        long totalEntries,
        Digest previousCheckpointHash,
        Digest payloadHash,
        ReadOnlySpan<byte> signature,
        Digest keyFingerprint)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpointId, 1);
        CheckpointId = checkpointId;
        CreatedAt = createdAt;
        TenantCount = tenantCount;
        TotalEntries = totalEntries;
        PreviousCheckpointHash = previousCheckpointHash;
        PayloadHash = payloadHash;
        _signature = signature.ToArray();
        KeyFingerprint = keyFingerprint;
    }

    /// <summary>The checkpoint's sequence number, from 1.</summary>
    public long CheckpointId { get; }

    /// <summary>When the service created the checkpoint.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The number of tenants covered (informational; not signed separately).</summary>
    public long TenantCount { get; }

    /// <summary>The number of audit entries covered (informational; not signed separately).</summary>
    public long TotalEntries { get; }

    /// <summary>The <see cref="PayloadHash"/> of checkpoint <c>CheckpointId − 1</c>; 64 zero hex digits for checkpoint 1.</summary>
    public Digest PreviousCheckpointHash { get; }

    /// <summary>The digest the signature covers (as its lowercase hex text, see <see cref="GetSignedBytes"/>).</summary>
    public Digest PayloadHash { get; }

    /// <summary>The RSASSA-PSS signature bytes (base64-decoded).</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The publisher's claim of which key signed: SHA-256 of its PEM key file. A hint, never a source of trust.</summary>
    public Digest KeyFingerprint { get; }

    /// <summary>
    /// The bytes the signature covers: the UTF-8 (ASCII) text of <c>payload_hash</c>, 64 lowercase hex digits, not the
    /// raw digest. Parsing accepts lowercase hex only, so this is exactly the published text.
    /// </summary>
    public byte[] GetSignedBytes() => Encoding.ASCII.GetBytes(PayloadHash.ToHex());

    /// <summary>Parses one checkpoint document (UTF-8 JSON). Returns false with a reason for any malformed input.</summary>
    /// <param name="utf8Json">The document.</param>
    /// <param name="checkpoint">The checkpoint, when parsing succeeds.</param>
    /// <param name="error">Why parsing failed, otherwise null.</param>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out NovyxCheckpoint? checkpoint, [NotNullWhen(false)] out string? error)
    {
        checkpoint = null;
        NovyxCheckpointDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, NovyxJsonContext.Default.NovyxCheckpointDocument);
        }
        catch (JsonException ex)
        {
            error = $"Not a checkpoint document: {ex.Message}";
            return false;
        }

        if (document is null)
        {
            error = "The document is JSON null.";
            return false;
        }

        if (document.CheckpointId is not { } id || id < 1)
        {
            error = "checkpoint_id is missing or less than 1.";
            return false;
        }

        if (document.CreatedAt is not { } createdAt
            || document.TenantCount is not { } tenantCount
            || document.TotalEntries is not { } totalEntries)
        {
            error = $"Checkpoint {id}: created_at, tenant_count or total_entries is missing.";
            return false;
        }

        if (!TryParseHex(document.PreviousCheckpointHash, out var previous)
            || !TryParseHex(document.PayloadHash, out var payload)
            || !TryParseHex(document.KeyFingerprint, out var fingerprint))
        {
            error = $"Checkpoint {id}: previous_checkpoint_hash, payload_hash and key_fingerprint must be 64 lowercase hex digits.";
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(document.Signature ?? throw new FormatException("missing"));
        }
        catch (FormatException)
        {
            error = $"Checkpoint {id}: signature is missing or not standard base64.";
            return false;
        }

        checkpoint = new NovyxCheckpoint(id, createdAt, tenantCount, totalEntries, previous, payload, signature, fingerprint);
        error = null;
        return true;
    }

    /// <summary>Parses one checkpoint document, throwing when it is malformed.</summary>
    /// <exception cref="FormatException">The document is not a well-formed checkpoint; the message says why.</exception>
    public static NovyxCheckpoint Parse(ReadOnlySpan<byte> utf8Json) =>
        TryParse(utf8Json, out var checkpoint, out var error) ? checkpoint : throw new FormatException(error);

    /// <summary>Field-by-field equality, including the signature bytes.</summary>
    public bool Equals(NovyxCheckpoint? other) =>
        other is not null
        && CheckpointId == other.CheckpointId
        && CreatedAt.Equals(other.CreatedAt)
        && CreatedAt.Offset == other.CreatedAt.Offset
        && TenantCount == other.TenantCount
        && TotalEntries == other.TotalEntries
        && PreviousCheckpointHash == other.PreviousCheckpointHash
        && PayloadHash == other.PayloadHash
        && KeyFingerprint == other.KeyFingerprint
        && _signature.AsSpan().SequenceEqual(other._signature);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NovyxCheckpoint);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(CheckpointId, PayloadHash);

    /// <summary>A readable form: id and payload hash.</summary>
    public override string ToString() => $"Novyx checkpoint {CheckpointId} ({PayloadHash.ToHex()})";

    private static bool TryParseHex(string? hex, out Digest digest)
    {
        // Digest.TryParse accepts lowercase hex only, which keeps GetSignedBytes() identical to the published text.
        digest = default;
        return hex is { Length: 64 } && Digest.TryParse(Digest.Prefix + hex, out digest);
    }
}
