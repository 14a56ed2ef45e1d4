using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// A trace certificate (proof-format §7.2): the eight statement members, signed with RSA-4096 RSASSA-PSS, plus the
/// algorithm, the signer's SubjectPublicKeyInfo PEM and the signature. Portable on its own.
/// </summary>
public sealed class TraceCertificate
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

    /// <summary>When the trace was sealed (the seal event's <c>ingested_at</c>).</summary>
    [JsonPropertyName("sealed_at")]
    public string? SealedAt { get; init; }

    /// <summary><c>sha256:</c> of the signing key's SubjectPublicKeyInfo DER.</summary>
    [JsonPropertyName("key_id")]
    public string? KeyId { get; init; }

    /// <summary>Always <c>rsa-pss-sha256</c> in traces/v1. Informative: the verifier never lets it choose the scheme.</summary>
    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; init; }

    /// <summary>The signer's RSA SubjectPublicKeyInfo as PEM. A hint; trust comes from the policy.</summary>
    [JsonPropertyName("public_key")]
    public string? PublicKey { get; init; }

    /// <summary><c>rsa-pss-sha256:</c> + lowercase hex of the signature over the domain-separated statement digest.</summary>
    [JsonPropertyName("signature")]
    public string? Signature { get; init; }

    /// <summary>The signed part of the certificate.</summary>
    public CertificateStatement ToStatement() => new()
    {
        Version = Version,
        TraceId = TraceId,
        EventCount = EventCount,
        CompositeHash = CompositeHash,
        IntegrityRootHash = IntegrityRootHash,
        SealEventId = SealEventId,
        SealedAt = SealedAt,
        KeyId = KeyId,
    };

    /// <summary>
    /// Members this version of the format does not define, kept so nothing is lost on a round trip. The verifier
    /// reports any as <c>malformed</c>: a bundle carries no data that nobody checks.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
