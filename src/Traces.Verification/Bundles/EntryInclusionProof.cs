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
    public required string Version { get; init; }

    /// <summary>The trace.</summary>
    [JsonPropertyName("trace_id")]
    public required string TraceId { get; init; }

    /// <summary>The entry's index (the leaf index).</summary>
    [JsonPropertyName("leaf_index")]
    public required long LeafIndex { get; init; }

    /// <summary>The number of entries (the tree size).</summary>
    [JsonPropertyName("tree_size")]
    public required long TreeSize { get; init; }

    /// <summary>The composite hash the proof leads to.</summary>
    [JsonPropertyName("composite_hash")]
    public required string CompositeHash { get; init; }

    /// <summary>The audit path, leaf side first, as <c>sha256:</c> strings.</summary>
    [JsonPropertyName("path")]
    public required IReadOnlyList<string> Path { get; init; }
}
