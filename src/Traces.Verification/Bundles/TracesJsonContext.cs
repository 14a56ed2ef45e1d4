using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// Source-generated System.Text.Json metadata for every traces/v1 document, so reading and writing bundles is
/// trim- and AOT-safe. Use <see cref="Default"/>, or <see cref="Strict"/> to refuse duplicate member names.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    MaxDepth = 64)]
[JsonSerializable(typeof(ProofBundle))]
[JsonSerializable(typeof(BundleEntry))]
[JsonSerializable(typeof(SealEvent))]
[JsonSerializable(typeof(SealPayload))]
[JsonSerializable(typeof(TraceCertificate))]
[JsonSerializable(typeof(VerificationClaims))]
[JsonSerializable(typeof(CertificateStatement))]
[JsonSerializable(typeof(PublishedKeySet))]
[JsonSerializable(typeof(EntryInclusionProof))]
[JsonSerializable(typeof(List<BundleEntry>))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
public sealed partial class TracesJsonContext : JsonSerializerContext
{
    private static TracesJsonContext? s_strict;

    /// <summary>
    /// A context whose options reject duplicate member names (I-JSON, RFC 7493 §2.3), as the verifier reads.
    /// Unknown members are kept in <c>AdditionalProperties</c> and reported by the verifier.
    /// </summary>
    public static TracesJsonContext Strict => s_strict ??= new TracesJsonContext(new System.Text.Json.JsonSerializerOptions(Default.Options)
    {
        AllowDuplicateProperties = false,
    });
}
