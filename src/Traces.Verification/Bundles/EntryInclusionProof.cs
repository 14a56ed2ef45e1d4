using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// An RFC 9162 §2.1.3 inclusion proof that one entry is leaf <see cref="LeafIndex"/> of the tree whose root is the
/// sealed composite hash (proof-format §9.3). Verified together with the entry and the trace certificate.
/// </summary>
public sealed class EntryInclusionProof
{
    /// <summary>Always <c>traces/v1</c>.</summary>
    [JsonPropertyName("v")]
    public string? Version { get; init; }

    /// <summary>The trace.</summary>
    [JsonPropertyName("trace_id")]
    public string? TraceId { get; init; }

    /// <summary>The entry's index (the leaf index).</summary>
    [JsonPropertyName("leaf_index")]
    public long? LeafIndex { get; init; }

    /// <summary>The number of entries (the tree size).</summary>
    [JsonPropertyName("tree_size")]
    public long? TreeSize { get; init; }

    /// <summary>The composite hash the proof leads to.</summary>
    [JsonPropertyName("composite_hash")]
    public string? CompositeHash { get; init; }

    /// <summary>The audit path, leaf side first, as <c>sha256:</c> strings.</summary>
    [JsonPropertyName("path")]
    public IReadOnlyList<string>? Path { get; init; }

    /// <summary>
    /// Members this version of the format does not define, kept so nothing is lost on a round trip. The verifier
    /// reports any as <c>malformed</c>: a bundle carries no data that nobody checks.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
