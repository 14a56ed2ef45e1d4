using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>The payload of the seal event (proof-format §7.1).</summary>
public sealed class SealPayload
{
    /// <summary>The sealed trace.</summary>
    [JsonPropertyName("trace_id")]
    public string? TraceId { get; init; }

    /// <summary>Number of entries in the chain and the tree.</summary>
    [JsonPropertyName("event_count")]
    public long? EventCount { get; init; }

    /// <summary>RFC 9162 Merkle Tree Hash over the content digests.</summary>
    [JsonPropertyName("composite_hash")]
    public string? CompositeHash { get; init; }

    /// <summary>The last entry's chain hash.</summary>
    [JsonPropertyName("integrity_root_hash")]
    public string? IntegrityRootHash { get; init; }

    /// <summary>
    /// Members this version of the format does not define, kept so nothing is lost on a round trip. The verifier
    /// reports any as <c>malformed</c>: a bundle carries no data that nobody checks.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
