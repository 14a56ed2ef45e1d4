using System.Text.Json;
using System.Text.Json.Serialization;
using Traces.Verification.Hashing;

namespace Traces.Verification.Bundles;

/// <summary>
/// The members every signed entry has, in the chain or not (proof-format §4, §7): an event, document, attestation,
/// agent step, or the seal event.
/// </summary>
public abstract class SignedEntry
{
    /// <summary>Server-assigned id of the entry (§3.1 character set).</summary>
    [JsonPropertyName("event_id")]
    public string? EventId { get; init; }

    /// <summary>What kind of entry this is, e.g. <c>invoice.received</c>, <c>document.anchored</c>, <c>trace.sealed</c>.</summary>
    [JsonPropertyName("event_type")]
    public string? EventType { get; init; }

    /// <summary>
    /// The payload as JSON. <c>null</c> (no value) when the exporter withheld it (selective disclosure, §4.3): the
    /// entry still verifies through its <see cref="PayloadHash"/>. A payload that is the JSON value <c>null</c> is a
    /// <see cref="JsonElement"/> of kind <see cref="JsonValueKind.Null"/>, hashed like any other value (§9.1).
    /// </summary>
    [JsonPropertyName("payload")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(PayloadJsonConverter))]
    public JsonElement? Payload { get; init; }

    /// <summary>
    /// SHA-256 of the payload's canonical form, computed as the stream reader read the entry (then <see cref="Payload"/>
    /// is not kept); <see langword="null"/> when the payload was kept or is absent.
    /// </summary>
    internal Digest? ReadPayloadHash { get; init; }

    // The stream reader decodes payload_hash, content_hash and signature straight from their UTF-8 when they are in form
    // (§2.1, §8.1: one spelling each), and the text is built only if asked for: it is then that spelling of the value.
    private string? _payloadHash;
    private string? _contentHash;
    private string? _signature;

    /// <summary><see cref="PayloadHash"/> as decoded by the stream reader (it was in form), or null.</summary>
    internal Digest? PayloadHashDigest { get; init; }

    /// <summary><see cref="ContentHash"/> as decoded by the stream reader (it was in form), or null.</summary>
    internal Digest? ContentHashDigest { get; init; }

    /// <summary>The 64 bytes of <see cref="Signature"/> as decoded by the stream reader (it was in form), or null.</summary>
    internal byte[]? SignatureBytes { get; init; }

    /// <summary><c>sha256:</c> digest of the RFC 8785 form of the payload.</summary>
    [JsonPropertyName("payload_hash")]
    public string? PayloadHash
    {
        get => _payloadHash ??= PayloadHashDigest?.ToString();
        init => _payloadHash = value;
    }

    /// <summary><c>sha256:</c> digest of the canonical content preimage (§4.2); this is what is signed.</summary>
    [JsonPropertyName("content_hash")]
    public string? ContentHash
    {
        get => _contentHash ??= ContentHashDigest?.ToString();
        init => _contentHash = value;
    }

    /// <summary>When the service accepted the entry: RFC 3339 UTC, six fractional digits, <c>Z</c>.</summary>
    [JsonPropertyName("ingested_at")]
    public string? IngestedAt { get; init; }

    /// <summary><c>sha256:</c> of the raw 32-byte Ed25519 public key that signed the entry (§8). A hint, never trust.</summary>
    [JsonPropertyName("key_id")]
    public string? KeyId { get; init; }

    /// <summary>The signer's public key as <c>ed25519_pk:</c> + 64 hex digits. A hint; trust comes from the policy.</summary>
    [JsonPropertyName("public_key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicKey { get; init; }

    /// <summary>The Ed25519 signature as <c>ed25519:</c> + 128 hex digits over the domain-separated content hash (§8.3).</summary>
    [JsonPropertyName("signature")]
    public string? Signature
    {
        get => _signature ??= SignatureBytes is { } bytes ? WireEncoding.FormatEd25519Signature(bytes) : null;
        init => _signature = value;
    }

    /// <summary>
    /// Invoance's name for the time the entry was accepted; services write it equal to <see cref="IngestedAt"/>.
    /// Informative (proof-format §9.5): covered by no signature, its form (§3.2) checked, its value never compared or
    /// used by the verifier. Absent when null, so bundles without it keep their bytes.
    /// </summary>
    [JsonPropertyName("timestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Timestamp { get; init; }

    /// <summary>
    /// Members this version of the format does not define, kept so nothing is lost on a round trip. The verifier
    /// reports any as <c>malformed</c>: a bundle carries no data that nobody checks.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
