using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>An entry of the trace, in the chain and the Merkle tree (proof-format §4–§6).</summary>
public sealed class BundleEntry : SignedEntry
{
    /// <summary>Zero-based position in the trace.</summary>
    [JsonPropertyName("index")]
    [JsonPropertyOrder(-1)]
    public long? Index { get; init; }

    /// <summary>The previous entry's <see cref="ChainHash"/>; <c>null</c> for the first entry.</summary>
    [JsonPropertyName("previous_chain_hash")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? PreviousChainHash { get; init; }

    /// <summary><c>SHA-256(previous link || content digest)</c> as a <c>sha256:</c> string (§5).</summary>
    [JsonPropertyName("chain_hash")]
    public string? ChainHash { get; init; }
}
