using System.Text.Json;
using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// A trace certificate (proof-format §7.2): the eight statement members (inherited, so the JSON stays flat as in the
/// Novyx certificate), signed with RSA-4096 RSASSA-PSS, plus the algorithm, the signer's SubjectPublicKeyInfo PEM and
/// the signature. Portable on its own.
/// </summary>
public sealed class TraceCertificate : CertificateStatement
{
    /// <summary>Always <c>rsa-pss-sha256</c> in traces/v1. Informative: the verifier never lets it choose the scheme.</summary>
    [JsonPropertyName("algorithm")]
    [JsonPropertyOrder(1)]
    public string? Algorithm { get; init; }

    /// <summary>The signer's RSA SubjectPublicKeyInfo as PEM, optional (§7.2). A hint; trust comes from the policy.</summary>
    [JsonPropertyName("public_key")]
    [JsonPropertyOrder(2)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey { get; init; }

    /// <summary><c>rsa-pss-sha256:</c> + lowercase hex of the signature over the domain-separated statement digest.</summary>
    [JsonPropertyName("signature")]
    [JsonPropertyOrder(3)]
    public string? Signature { get; init; }

    /// <summary>The signed part of the certificate, as a statement of its own.</summary>
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
