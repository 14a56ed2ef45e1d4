using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// The public keys a service publishes (<c>GET /v1/traces/public-key</c>, docs/api.md). Publishing is not trusting:
/// an auditor obtains this document out of band and pins it through a <c>TrustPolicy</c>.
/// </summary>
public sealed class PublishedKeySet
{
    /// <summary>The certificate key as SPKI PEM (Novyx-compatible top-level member).</summary>
    [JsonPropertyName("public_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey { get; init; }

    /// <summary>The certificate algorithm (Novyx-compatible top-level member).</summary>
    [JsonPropertyName("algorithm")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Algorithm { get; init; }

    /// <summary>Every key, entries and certificates.</summary>
    [JsonPropertyName("keys")]
    public IReadOnlyList<PublishedKey>? Keys { get; init; }

    /// <summary>
    /// Members this version of the format does not define, kept so nothing is lost on a round trip. The verifier
    /// reports any as <c>malformed</c>: a bundle carries no data that nobody checks.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>One published public key.</summary>
public sealed class PublishedKey
{
    /// <summary>Algorithm name for entry keys.</summary>
    public const string Ed25519 = "ed25519";

    /// <summary>Algorithm name for certificate keys.</summary>
    public const string RsaPssSha256 = "rsa-pss-sha256";

    /// <summary><c>sha256:</c> fingerprint (proof-format §8).</summary>
    [JsonPropertyName("key_id")]
    public string? KeyId { get; init; }

    /// <summary><see cref="Ed25519"/> or <see cref="RsaPssSha256"/>.</summary>
    [JsonPropertyName("algorithm")]
    public string? Algorithm { get; init; }

    /// <summary><c>ed25519_pk:</c> + 64 hex for Ed25519; SPKI PEM for RSA.</summary>
    [JsonPropertyName("public_key")]
    public string? PublicKey { get; init; }

    /// <summary><c>entries</c> or <c>certificates</c>.</summary>
    [JsonPropertyName("use")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Use { get; init; }

    /// <summary>
    /// Members this version of the format does not define, kept so nothing is lost on a round trip. The verifier
    /// reports any as <c>malformed</c>: a bundle carries no data that nobody checks.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
