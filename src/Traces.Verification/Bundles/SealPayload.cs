using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>The payload of the seal event (proof-format §7.1).</summary>
public sealed class SealPayload
{
    /// <summary>The sealed trace.</summary>
    [JsonPropertyName("trace_id")]
    public required string TraceId { get; init; }

    /// <summary>Number of entries in the chain and the tree.</summary>
    [JsonPropertyName("event_count")]
    public required long EventCount { get; init; }

    /// <summary>RFC 9162 Merkle Tree Hash over the content digests.</summary>
    [JsonPropertyName("composite_hash")]
    public required string CompositeHash { get; init; }

    /// <summary>The last entry's chain hash.</summary>
    [JsonPropertyName("integrity_root_hash")]
    public required string IntegrityRootHash { get; init; }
}
