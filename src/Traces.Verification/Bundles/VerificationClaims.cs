using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// A bundle's <c>verification</c> member (proof-format §9.5): the flags a service computed about its own trace, as
/// Invoance's proof export carries them (<c>models/traces.ts</c>). A claim, not a result: the verifier checks its form
/// (exactly these two members, each <c>true</c> or <c>false</c>) and never uses its values.
/// </summary>
public sealed class VerificationClaims
{
    /// <summary>The service says the composite hash it recomputed matched.</summary>
    [JsonPropertyName("composite_hash_valid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? CompositeHashValid { get; init; }

    /// <summary>The service says every signature it checked verified.</summary>
    [JsonPropertyName("all_signatures_valid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? AllSignaturesValid { get; init; }

    /// <summary>Members §9.5 does not define, kept for a round trip; the verifier reports any as <c>malformed</c>.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
