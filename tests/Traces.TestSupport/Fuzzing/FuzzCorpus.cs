using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Verification.Bundles;

namespace Traces.TestSupport.Fuzzing;

/// <summary>
/// The starting points of the fuzzer: the documents of docs/test-vectors (valid and tampered bundles, the certificate,
/// the entry list, entry 2 and its inclusion proof) and a 300-entry bundle, with the signed projections of every
/// genuinely signed document (the only ones a Valid verdict may have).
/// </summary>
public sealed class FuzzCorpus
{
    private FuzzCorpus()
    {
    }

    /// <summary>Bundle texts to mutate: the valid vectors and every tampered one.</summary>
    public required IReadOnlyList<byte[]> Bundles { get; init; }

    /// <summary>A valid 300-entry bundle (its signatures are checked on worker threads).</summary>
    public required byte[] Large { get; init; }

    /// <summary>certificate.json.</summary>
    public required byte[] Certificate { get; init; }

    /// <summary>entries.json.</summary>
    public required byte[] Entries { get; init; }

    /// <summary>entry-2.json.</summary>
    public required byte[] Entry { get; init; }

    /// <summary>inclusion-proof-2.json.</summary>
    public required byte[] Proof { get; init; }

    /// <summary>bundle-small as compact JSON (certificates and entry lists are spliced into it).</summary>
    public required byte[] SmallCompact { get; init; }

    /// <summary>The small bundle's certificate.</summary>
    public required TraceCertificate SmallCertificate { get; init; }

    /// <summary>Signed projections of the genuinely signed bundles.</summary>
    public required IReadOnlySet<string> Genuine { get; init; }

    /// <summary>Of their certificates.</summary>
    public required IReadOnlySet<string> GenuineCertificates { get; init; }

    /// <summary>Of their entry lists with their certificates.</summary>
    public required IReadOnlySet<string> GenuineEntries { get; init; }

    /// <summary>Of each of their entries with its inclusion proof and the certificate.</summary>
    public required IReadOnlySet<string> GenuineInclusions { get; init; }

    /// <summary>Reads the vectors and signs the large bundle.</summary>
    public static FuzzCorpus Load()
    {
        var manifest = JsonNode.Parse(File.ReadAllBytes(TestVectors.OwnVector("manifest.json")))!["files"]!.AsArray();
        var bundleFiles = manifest.Where(r => r!["kind"]!.GetValue<string>() == "bundle").Select(r => r!["file"]!.GetValue<string>()).ToList();
        var bundles = bundleFiles.Select(f => File.ReadAllBytes(TestVectors.OwnVector(f.Split('/')))).ToList();

        var large = TestTraceSigner.Default.CreateBundle("tr_fuzz0300", TestTraceSigner.SampleEntries(300));
        // Genuinely signed: the valid vectors, and the valid conformance vectors (issue 10: their own traces, some with
        // payloads null, false or 0, or nested past the default depth, which the typed reader may not hold).
        var validConformance = manifest.Where(r => r!["file"]!.GetValue<string>().StartsWith("conformance/", StringComparison.Ordinal)
                && r["verdict"]!.GetValue<string>() == "Valid")
            .Select(r => File.ReadAllBytes(TestVectors.OwnVector(r!["file"]!.GetValue<string>().Split('/'))))
            .ToList();
        var genuineBundles = new[] { VectorSet.Small, TamperCases.Base, ConformanceCases.Base, large }
            .Concat(bundleFiles.Where(f => f.StartsWith("bundle-", StringComparison.Ordinal))
                .Select(f => JsonSerializer.Deserialize(File.ReadAllBytes(TestVectors.OwnVector(f)), TracesJsonContext.Default.ProofBundle)!))
            .Concat(validConformance.Select(BundleJson.TryReadTyped).OfType<ProofBundle>())
            .ToList();

        var genuine = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in validConformance)
        {
            // From the text: a payload nested past the typed reader's depth still has a signed projection.
            genuine.Add(SignedProjection.OfBundle(text)!);
        }

        var certificates = new HashSet<string>(StringComparer.Ordinal);
        var entries = new HashSet<string>(StringComparer.Ordinal);
        var inclusions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bundle in genuineBundles)
        {
            var certificate = JsonSerializer.SerializeToUtf8Bytes(bundle.Certificate!, TracesJsonContext.Default.TraceCertificate);
            genuine.Add(SignedProjection.OfBundle(JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle))!);
            certificates.Add(SignedProjection.OfCertificate(certificate)!);
            entries.Add(SignedProjection.OfEntries(JsonSerializer.SerializeToUtf8Bytes(bundle.Events!.ToList(), TracesJsonContext.Default.ListBundleEntry), certificate)!);
            for (var i = 0; i < bundle.Events!.Count; i++)
            {
                inclusions.Add(SignedProjection.OfInclusion(
                    JsonSerializer.SerializeToUtf8Bytes(bundle.Events[i], TracesJsonContext.Default.BundleEntry),
                    JsonSerializer.SerializeToUtf8Bytes(VectorSet.InclusionProof(bundle, i), TracesJsonContext.Default.EntryInclusionProof),
                    certificate)!);
            }
        }

        return new FuzzCorpus
        {
            Bundles = bundles,
            Large = JsonSerializer.SerializeToUtf8Bytes(large, TracesJsonContext.Default.ProofBundle),
            Certificate = File.ReadAllBytes(TestVectors.OwnVector("certificate.json")),
            Entries = File.ReadAllBytes(TestVectors.OwnVector("entries.json")),
            Entry = File.ReadAllBytes(TestVectors.OwnVector($"entry-{VectorSet.ProvenIndex}.json")),
            Proof = File.ReadAllBytes(TestVectors.OwnVector($"inclusion-proof-{VectorSet.ProvenIndex}.json")),
            SmallCompact = JsonSerializer.SerializeToUtf8Bytes(VectorSet.Small, TracesJsonContext.Default.ProofBundle),
            SmallCertificate = VectorSet.Small.Certificate!,
            Genuine = genuine,
            GenuineCertificates = certificates,
            GenuineEntries = entries,
            GenuineInclusions = inclusions,
        };
    }
}
