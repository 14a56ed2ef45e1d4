using System.Text.Json.Serialization;

namespace Traces.Verification.Bundles;

/// <summary>
/// Source-generated System.Text.Json metadata for every traces/v1 document, so reading and writing bundles is
/// trim- and AOT-safe. Use <see cref="Default"/>, or <see cref="Strict"/> to refuse unknown members and duplicate names.
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
[JsonSerializable(typeof(CertificateStatement))]
[JsonSerializable(typeof(PublishedKeySet))]
[JsonSerializable(typeof(EntryInclusionProof))]
[JsonSerializable(typeof(List<BundleEntry>))]
public sealed partial class TracesJsonContext : JsonSerializerContext
{
    private static TracesJsonContext? s_strict;

    /// <summary>
    /// Options that reject members the format does not define and duplicate member names
    /// (what the verifier uses: a bundle never carries data that nobody checks).
    /// </summary>
    public static TracesJsonContext Strict => s_strict ??= new TracesJsonContext(new System.Text.Json.JsonSerializerOptions(Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    });
}
