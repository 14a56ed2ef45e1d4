using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Verification.Bundles;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;

namespace Traces.TestSupport;

/// <summary>
/// Generates every file of docs/test-vectors (except <c>keys/</c>) from the deterministic test keys, in memory and
/// byte for byte the same on every run: the vector test compares them with the committed files, and writes them
/// when <c>TRACES_WRITE_VECTORS=1</c>.
/// </summary>
public static class VectorSet
{
    /// <summary>The entry whose inclusion proof and detached form are published.</summary>
    public const int ProvenIndex = 2;

    private static readonly Lazy<IReadOnlyDictionary<string, byte[]>> s_files = new(Generate);

    /// <summary>Relative path (with '/') to file bytes, manifest.json included.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files => s_files.Value;

    /// <summary>The one-entry trace.</summary>
    public static IReadOnlyList<TestEntry> MinimalEntries { get; } =
    [
        new("invoice.received", """{"amount":100,"invoice":"INV-0001"}"""),
    ];

    /// <summary>The five-entry trace: assorted kinds; entry 0 canonicalizes non-trivially (order, numbers, escapes, non-ASCII).</summary>
    public static IReadOnlyList<TestEntry> SmallEntries { get; } =
    [
        new("invoice.received",
            """{"vendor":"Société Générale — 東京","amount":1.50,"big":1e21,"tiny":1E-7,"neg_zero":-0,"nested":{"z":[3,2,1],"a":{"ok":true,"none":null}},"text":"line\nbreak \u00e9 😀","10":"ten","1":"one"}"""),
        new("document.anchored", """{"document":"contract.pdf","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","pages":12}"""),
        new("ai.attestation", """{"model":"model-x","confidence":0.875,"labels":["approve","low-risk"],"input":{"prompt_hash":"sha256:00"}}"""),
        new("agent.step", """{"step":3,"tool":"search","input":{"query":"vendor risk"},"ok":true}"""),
        new("payment.authorized", """{"amount":1234.5,"currency":"EUR","reference":"PAY-7"}"""),
    ];

    /// <summary>The small bundle.</summary>
    public static ProofBundle Small => s_small.Value;

    private static readonly Lazy<ProofBundle> s_small = new(() => TestTraceSigner.Deterministic.CreateBundle("tr_small0001", SmallEntries));

    private static IReadOnlyDictionary<string, byte[]> Generate()
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        var manifest = new JsonArray();
        var signer = TestTraceSigner.Deterministic;

        var minimal = signer.CreateBundle("tr_minimal0001", MinimalEntries);
        files["bundle-minimal.json"] = BundleJson.Write(BundleJson.ToNode(minimal));
        manifest.Add(ValidBundleRecord("bundle-minimal.json", minimal, []));

        var small = Small;
        var smallNode = BundleJson.ToNode(small);
        files["bundle-small.json"] = BundleJson.Write(smallNode);
        manifest.Add(ValidBundleRecord("bundle-small.json", small, []));

        var withheld = BundleJson.ToNode(small);
        BundleJson.Entry(withheld, ProvenIndex).Remove("payload");
        files["bundle-withheld.json"] = BundleJson.Write(withheld);
        manifest.Add(ValidBundleRecord("bundle-withheld.json", small, [FindingCodes.PayloadWithheld]));

        files["certificate.json"] = BundleJson.Write(smallNode["certificate"]!);
        manifest.Add(Record("certificate.json", "certificate", "Valid", []));

        files["entries.json"] = BundleJson.Write(smallNode["events"]!);
        manifest.Add(Record("entries.json", "entries", "Valid", [], ("certificate", "certificate.json")));

        files[$"entry-{ProvenIndex}.json"] = BundleJson.Write(BundleJson.Entry(smallNode, ProvenIndex));
        files[$"inclusion-proof-{ProvenIndex}.json"] = BundleJson.Write(BundleJson.ToNode(InclusionProof(small, ProvenIndex),
            TracesJsonContext.Default.EntryInclusionProof));
        manifest.Add(Record($"inclusion-proof-{ProvenIndex}.json", "inclusion_proof", "Valid", [],
            ("entry", $"entry-{ProvenIndex}.json"), ("certificate", "certificate.json")));

        files["public-keys.json"] = BundleJson.Write(BundleJson.ToNode(PublicKeys(), TracesJsonContext.Default.PublishedKeySet));

        foreach (var (tamper, folder) in TamperCases.All.Where(c => c.IsVectorFile).Select(c => (c, "tampered"))
                     .Concat(ConformanceCases.All.Select(c => (c, "conformance"))))
        {
            var path = $"{folder}/{tamper.Name}.json";
            files[path] = tamper.Json;
            var record = Record(path, "bundle", tamper.Verdict.ToString(), tamper.Codes);
            if (folder == "tampered")
            {
                record["primary_code"] = tamper.PrimaryCode;
            }

            record["first_invalid_entry"] = tamper.FirstInvalidEntry;
            record["has_typed_form"] = tamper.Typed;
            if (tamper.Limits is { } limits)
            {
                record["options"] = new JsonObject
                {
                    ["max_entries"] = limits.MaxEntries,
                    ["max_entry_bytes"] = limits.MaxEntryBytes,
                    ["max_depth"] = limits.MaxDepth,
                };
                if (limits.MaxBundleBytes is { } bundleBytes)
                {
                    record["options"]!["max_bundle_bytes"] = bundleBytes;
                }

                if (limits.MaxFindings is { } findings)
                {
                    record["options"]!["max_findings"] = findings;
                }
            }

            if (tamper.TrustKeyIds is { } ids)
            {
                // Trust: these key ids, pinned without their keys (instead of public-keys.json).
                record["trust_key_ids"] = new JsonArray(ids.Select(id => (JsonNode)JsonValue.Create(id)).ToArray());
            }

            manifest.Add(record);
        }

        var root = new JsonObject
        {
            ["description"] = "traces/v1 test vectors. Verify each file under the keys of public-keys.json; see README.md.",
            ["trust"] = "public-keys.json",
            ["ed25519_key_id"] = TestKeys.Ed25519KeyId,
            ["rsa_key_id"] = TestKeys.RsaKeyId,
            ["files"] = manifest,
        };
        files["manifest.json"] = BundleJson.Write(root);
        return files;
    }

    /// <summary>The published key set holding both test keys.</summary>
    public static PublishedKeySet PublicKeys() => new()
    {
        Keys =
        [
            new PublishedKey
            {
                KeyId = TestKeys.Ed25519KeyId,
                Algorithm = PublishedKey.Ed25519,
                PublicKey = WireEncoding.FormatEd25519PublicKey(TestKeys.Ed25519PublicRaw),
                Use = "entries",
            },
            new PublishedKey
            {
                KeyId = TestKeys.RsaKeyId,
                Algorithm = PublishedKey.RsaPssSha256,
                PublicKey = TestKeys.RsaPublicPem,
                Use = "certificates",
            },
        ],
    };

    /// <summary>The RFC 9162 inclusion proof of entry <paramref name="index"/> of <paramref name="bundle"/>.</summary>
    public static EntryInclusionProof InclusionProof(ProofBundle bundle, int index)
    {
        var leaves = bundle.Events!.Select(e => MerkleTree.LeafHash(Digest.Parse(e.ContentHash!).Bytes)).ToList();
        return new EntryInclusionProof
        {
            Version = EntryHasher.FormatVersion,
            TraceId = bundle.TraceId,
            LeafIndex = index,
            TreeSize = leaves.Count,
            CompositeHash = bundle.CompositeHash,
            Path = MerkleTree.InclusionProof(leaves, index).Select(d => d.ToString()).ToList(),
        };
    }

    /// <summary>The RFC 8785 text of a payload.</summary>
    public static string CanonicalText(JsonElement element) => Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(element).Utf8Bytes!);

    private static JsonObject ValidBundleRecord(string file, ProofBundle bundle, IReadOnlyList<string> codes)
    {
        var record = Record(file, "bundle", "Valid", codes);
        record["trace_id"] = bundle.TraceId;
        record["event_count"] = bundle.EventCount;
        record["composite_hash"] = bundle.CompositeHash;
        record["integrity_root_hash"] = bundle.IntegrityRootHash;
        record["entries"] = new JsonArray(bundle.Events!.Select(e => (JsonNode)new JsonObject
        {
            ["index"] = e.Index,
            ["event_id"] = e.EventId,
            ["payload_hash"] = e.PayloadHash,
            ["content_hash"] = e.ContentHash,
            ["chain_hash"] = e.ChainHash,
        }).ToArray());

        var first = bundle.Events![0];
        var preimage = new JsonObject
        {
            ["v"] = EntryHasher.FormatVersion,
            ["event_id"] = first.EventId,
            ["event_type"] = first.EventType,
            ["ingested_at"] = first.IngestedAt,
            ["payload_hash"] = first.PayloadHash,
        };
        using var preimageDocument = JsonDocument.Parse(preimage.ToJsonString());
        record["entry_0"] = new JsonObject
        {
            ["payload_jcs"] = CanonicalText(first.Payload!.Value),
            ["content_preimage_jcs"] = CanonicalText(preimageDocument.RootElement),
            ["signed_message_hex"] = Convert.ToHexStringLower(SignedMessage.Create(SignatureLabels.Event, Digest.Parse(first.ContentHash!))),
            ["signature"] = first.Signature,
        };

        var statement = bundle.Certificate!.ToStatement();
        record["certificate"] = new JsonObject
        {
            ["statement_jcs"] = Encoding.UTF8.GetString(statement.ToCanonicalJson()),
            ["statement_digest"] = statement.ComputeDigest().ToString(),
            ["signed_message_hex"] = Convert.ToHexStringLower(SignedMessage.Create(SignatureLabels.Certificate, statement.ComputeDigest())),
        };
        return record;
    }

    private static JsonObject Record(string file, string kind, string verdict, IReadOnlyList<string> codes, params (string Name, string File)[] with)
    {
        var record = new JsonObject
        {
            ["file"] = file,
            ["kind"] = kind,
            ["verdict"] = verdict,
            ["codes"] = new JsonArray(codes.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
        };
        foreach (var (name, path) in with)
        {
            record[name] = path;
        }

        return record;
    }
}
