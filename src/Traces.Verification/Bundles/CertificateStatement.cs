using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// The signed part of a certificate (proof-format §7.2):
/// <c>{"v":"traces/v1", trace_id, event_count, composite_hash, integrity_root_hash, seal_event_id, sealed_at, key_id}</c>.
/// Its digest is SHA-256 of its RFC 8785 form.
/// </summary>
public partial class CertificateStatement
{
    /// <summary>Always <c>traces/v1</c>.</summary>
    [JsonPropertyName("v")]
    public string? Version { get; init; }

    /// <summary>The sealed trace.</summary>
    [JsonPropertyName("trace_id")]
    public string? TraceId { get; init; }

    /// <summary>Number of entries.</summary>
    [JsonPropertyName("event_count")]
    public long? EventCount { get; init; }

    /// <summary>RFC 9162 Merkle Tree Hash over the content digests.</summary>
    [JsonPropertyName("composite_hash")]
    public string? CompositeHash { get; init; }

    /// <summary>The last entry's chain hash.</summary>
    [JsonPropertyName("integrity_root_hash")]
    public string? IntegrityRootHash { get; init; }

    /// <summary>The id of the seal event.</summary>
    [JsonPropertyName("seal_event_id")]
    public string? SealEventId { get; init; }

    /// <summary>When the trace was sealed.</summary>
    [JsonPropertyName("sealed_at")]
    public string? SealedAt { get; init; }

    /// <summary><c>sha256:</c> of the signing RSA key's SubjectPublicKeyInfo DER.</summary>
    [JsonPropertyName("key_id")]
    public string? KeyId { get; init; }
}
