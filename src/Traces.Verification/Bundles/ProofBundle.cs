using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// A proof bundle (proof-format §9): everything needed to verify a sealed trace offline. Field names follow the
/// Invoance proof export, plus what verification needs.
/// </summary>
public sealed class ProofBundle
{
    /// <summary>The format: <c>traces/v1</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>The trace.</summary>
    [JsonPropertyName("trace_id")]
    public string? TraceId { get; init; }

    /// <summary>Human label. Not covered by any signature.</summary>
    [JsonPropertyName("label")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Label { get; init; }

    /// <summary>The tenant's domain. Not covered by any signature.</summary>
    [JsonPropertyName("tenant_domain")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TenantDomain { get; init; }

    /// <summary>Always <c>sealed</c> for an exported bundle.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>When the trace was created. Not covered by any signature.</summary>
    [JsonPropertyName("created_at")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CreatedAt { get; init; }

    /// <summary>When the trace was sealed; equals the seal event's <c>ingested_at</c>.</summary>
    [JsonPropertyName("sealed_at")]
    public string? SealedAt { get; init; }

    /// <summary>RFC 9162 Merkle Tree Hash over the entries' content digests.</summary>
    [JsonPropertyName("composite_hash")]
    public string? CompositeHash { get; init; }

    /// <summary>The last entry's chain hash.</summary>
    [JsonPropertyName("integrity_root_hash")]
    public string? IntegrityRootHash { get; init; }

    /// <summary>Number of entries.</summary>
    [JsonPropertyName("event_count")]
    public long? EventCount { get; init; }

    /// <summary>The entries in order.</summary>
    [JsonPropertyName("events")]
    public IReadOnlyList<BundleEntry>? Events { get; init; }

    /// <summary>The signed seal event.</summary>
    [JsonPropertyName("seal_event")]
    public SealEvent? SealEvent { get; init; }

    /// <summary>The RSA-signed certificate.</summary>
    [JsonPropertyName("certificate")]
    public TraceCertificate? Certificate { get; init; }

    /// <summary>
    /// The service's own verification flags (Invoance's <c>verification</c>): what the service says its check found.
    /// Informative (proof-format §9.5): covered by no signature, its form checked, its values never used by the
    /// verifier, whose report does not carry them. Show them, if at all, as the service's unverified claim.
    /// </summary>
    [JsonPropertyName("verification")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VerificationClaims? Verification { get; init; }

    /// <summary>
    /// Members this version of the format does not define, kept so nothing is lost on a round trip. The verifier
    /// reports any as <c>malformed</c>: a bundle carries no data that nobody checks.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
