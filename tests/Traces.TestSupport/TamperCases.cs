using System.Text.Json.Nodes;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Reports;

namespace Traces.TestSupport;

/// <summary>Limits a tamper case is verified under (null: the default).</summary>
/// <param name="MaxEntries">Most entries.</param>
/// <param name="MaxEntryBytes">Largest entry.</param>
/// <param name="MaxDepth">Deepest nesting.</param>
/// <param name="MaxBundleBytes">Largest bundle.</param>
/// <param name="MaxFindings">Most findings listed.</param>
public sealed record TamperLimits(long? MaxEntries = null, int? MaxEntryBytes = null, int? MaxDepth = null, long? MaxBundleBytes = null,
    int? MaxFindings = null)
{
    /// <summary>The verification options these limits give.</summary>
    public VerificationOptions ToOptions() => new()
    {
        MaxEntries = MaxEntries ?? VerificationOptions.Default.MaxEntries,
        MaxEntryBytes = MaxEntryBytes ?? VerificationOptions.Default.MaxEntryBytes,
        MaxDepth = MaxDepth ?? VerificationOptions.Default.MaxDepth,
        MaxBundleBytes = MaxBundleBytes ?? VerificationOptions.Default.MaxBundleBytes,
        MaxFindings = MaxFindings ?? VerificationOptions.Default.MaxFindings,
    };
}

/// <summary>
/// One tampered bundle and what verifying it under both test keys must give.
/// </summary>
/// <param name="Name">Case name; also the vector file name under docs/test-vectors/tampered/.</param>
/// <param name="Json">The bundle text (vector-file form).</param>
/// <param name="Verdict">The verdict.</param>
/// <param name="Codes">Exactly the distinct finding codes of the report.</param>
/// <param name="PrimaryCode">The code that names the tamper.</param>
/// <param name="FirstInvalidEntry">The report's first invalid entry, or null when no entry is at fault.</param>
/// <param name="Typed">True when the text has a faithful typed form (<see cref="ProofBundle"/>) to verify as well.</param>
/// <param name="Limits">Non-default limits, or null.</param>
/// <param name="IsVectorFile">Written to docs/test-vectors/tampered/.</param>
/// <param name="TrustKeyIds">When set, verified under these key ids pinned without their keys, not under the test keys.</param>
public sealed record TamperCase(string Name, byte[] Json, Verdict Verdict, IReadOnlyList<string> Codes, string? PrimaryCode,
    long? FirstInvalidEntry, bool Typed, TamperLimits? Limits = null, bool IsVectorFile = true, IReadOnlyList<string>? TrustKeyIds = null)
{
    /// <summary>The trust policy the case is verified under.</summary>
    public Traces.Verification.Trust.TrustPolicy Trust() => TrustKeyIds is { } ids
        ? ids.Aggregate(Traces.Verification.Trust.TrustPolicy.CreateBuilder(), (builder, id) => builder.AddKeyId(id)).Build()
        : TestKeys.TrustBoth();

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The tamper matrix of issue 2 over a valid six-entry bundle: every field of every entry, reordering, dropping,
/// duplicating and inserting entries, moved signatures, spliced seal and certificate, top-level claims, key
/// substitution, withheld payloads, unknown and duplicate members, non-I-JSON payloads, broken JSON and limits.
/// </summary>
public static class TamperCases
{
    /// <summary>The trace every case starts from.</summary>
    public const string BaseTraceId = "tr_tamper0001";

    private static readonly Lazy<ProofBundle> s_base = new(() => TestTraceSigner.Deterministic.CreateBundle(BaseTraceId, BaseEntries("")));
    private static readonly Lazy<ProofBundle> s_other = new(() => TestTraceSigner.Deterministic.CreateBundle("tr_other0001", BaseEntries("other ")));
    private static readonly Lazy<IReadOnlyList<TamperCase>> s_all = new(Build);

    /// <summary>The valid six-entry bundle.</summary>
    public static ProofBundle Base => s_base.Value;

    /// <summary>Another valid bundle signed by the same keys (source of spliced parts).</summary>
    public static ProofBundle Other => s_other.Value;

    /// <summary>Every case.</summary>
    public static IReadOnlyList<TamperCase> All => s_all.Value;

    /// <summary>The case with this name.</summary>
    public static TamperCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>The entry fields the per-entry cases change.</summary>
    public static readonly string[] EntryFields =
    [
        "event_id", "event_type", "payload", "payload_hash", "content_hash", "previous_chain_hash", "chain_hash",
        "ingested_at", "key_id", "public_key", "signature", "index",
    ];

    private static readonly string Forged = Digest.Compute("forged"u8).ToString();

    private static IReadOnlyList<TestEntry> BaseEntries(string note) =>
    [
        new("invoice.received", $$"""{"invoice":"INV-1","amount":120.5,"note":"{{note}}first"}"""),
        new("payment.authorized", """{"amount":1.5,"big":1e+21,"currency":"EUR"}"""),
        new("document.anchored", $$"""{"name":"contract.pdf","note":"{{note}}scan","pages":12}"""),
        new("ai.attestation", """{"model":"m-1","score":0.93}"""),
        new("agent.step", """{"step":4,"tool":"search"}"""),
        new("agent.step", $$"""{"nested":{"a":[1,2,3]},"note":"{{note}}done","step":5,"tool":"answer"}"""),
    ];

    private static IReadOnlyList<TamperCase> Build()
    {
        var cases = new List<TamperCase>();
        var globals = new[] { FindingCodes.CompositeMismatch, FindingCodes.RootMismatch, FindingCodes.SealMismatch, FindingCodes.CertificateMismatch };

        for (var k = 0; k < Base.Events!.Count; k++)
        {
            var index = k;
            foreach (var field in EntryFields)
            {
                var node = BundleJson.ToNode(Base);
                var entry = BundleJson.Entry(node, index);
                string[] codes;
                switch (field)
                {
                    case "event_id": entry[field] = "evt_tampered"; codes = [FindingCodes.ContentHashMismatch, .. globals]; break;
                    case "event_type": entry[field] = "invoice.forged"; codes = [FindingCodes.ContentHashMismatch, .. globals]; break;
                    case "ingested_at": entry[field] = "2026-03-17T12:59:59.000000Z"; codes = [FindingCodes.ContentHashMismatch, .. globals]; break;
                    case "payload":
                        var payload = entry[field]!.AsObject();
                        payload[payload.First().Key] = "forged";
                        codes = [FindingCodes.PayloadHashMismatch];
                        break;
                    case "payload_hash": entry[field] = Forged; codes = [FindingCodes.PayloadHashMismatch, FindingCodes.ContentHashMismatch, .. globals]; break;
                    case "content_hash": entry[field] = Forged; codes = [FindingCodes.ContentHashMismatch, FindingCodes.ChainBroken, FindingCodes.SignatureInvalid]; break;
                    case "previous_chain_hash": entry[field] = Forged; codes = [FindingCodes.ChainBroken]; break;
                    case "chain_hash": entry[field] = Forged; codes = [FindingCodes.ChainBroken]; break;
                    case "key_id": entry[field] = Forged; codes = [FindingCodes.KeyIdMismatch]; break;
                    case "public_key": entry[field] = AttackerPublicKey; codes = [FindingCodes.KeyIdMismatch]; break;
                    case "signature": entry[field] = FlipLastHex(entry[field]!.GetValue<string>()); codes = [FindingCodes.SignatureInvalid]; break;
                    case "index": entry[field] = 99; codes = [FindingCodes.IndexMismatch]; break;
                    default: throw new InvalidOperationException(field);
                }

                var primary = field switch
                {
                    "event_id" or "event_type" or "ingested_at" or "content_hash" => FindingCodes.ContentHashMismatch,
                    "payload" or "payload_hash" => FindingCodes.PayloadHashMismatch,
                    "previous_chain_hash" or "chain_hash" => FindingCodes.ChainBroken,
                    "key_id" or "public_key" => FindingCodes.KeyIdMismatch,
                    "signature" => FindingCodes.SignatureInvalid,
                    _ => FindingCodes.IndexMismatch,
                };
                cases.Add(new($"entry{index}_{field}", BundleJson.Write(node), Verdict.Invalid, codes.Distinct().Order(StringComparer.Ordinal).ToList(), primary, index, Typed: true,
                    IsVectorFile: index == 2));
            }
        }

        Add(cases, "entries_swapped_2_3", n => { var e = n["events"]!.AsArray(); var third = e[3]!; e.RemoveAt(3); e.Insert(2, third); },
            Verdict.Invalid, [FindingCodes.IndexMismatch, FindingCodes.ChainBroken, .. globals], FindingCodes.ChainBroken, 2);
        Add(cases, "entry_3_dropped", n => n["events"]!.AsArray().RemoveAt(3),
            Verdict.Invalid, [FindingCodes.IndexMismatch, FindingCodes.ChainBroken, FindingCodes.EventCountMismatch, .. globals], FindingCodes.ChainBroken, 3);
        Add(cases, "entry_3_duplicated", n => { var e = n["events"]!.AsArray(); e.Insert(4, e[3]!.DeepClone()); },
            Verdict.Invalid, [FindingCodes.IndexMismatch, FindingCodes.ChainBroken, FindingCodes.EventCountMismatch, .. globals], FindingCodes.ChainBroken, 4);
        Add(cases, "foreign_entry_inserted_at_3", n => n["events"]!.AsArray().Insert(3, BundleJson.ToNode(Other.Events![2], TracesJsonContext.Default.BundleEntry)),
            Verdict.Invalid, [FindingCodes.IndexMismatch, FindingCodes.ChainBroken, FindingCodes.EventCountMismatch, .. globals], FindingCodes.ChainBroken, 3);
        Add(cases, "signature_moved_1_to_4", n => BundleJson.Entry(n, 4)["signature"] = BundleJson.Entry(n, 1)["signature"]!.GetValue<string>(),
            Verdict.Invalid, [FindingCodes.SignatureInvalid], FindingCodes.SignatureInvalid, 4);
        Add(cases, "seal_event_spliced", n => n["seal_event"] = BundleJson.ToNode(Other.SealEvent!, TracesJsonContext.Default.SealEvent),
            Verdict.Invalid, [FindingCodes.SealMismatch, FindingCodes.CertificateMismatch], FindingCodes.SealMismatch, null);
        Add(cases, "certificate_spliced", n => n["certificate"] = BundleJson.ToNode(Other.Certificate!, TracesJsonContext.Default.TraceCertificate),
            Verdict.Invalid, [FindingCodes.CertificateMismatch], FindingCodes.CertificateMismatch, null);

        Add(cases, "top_composite_hash", n => n["composite_hash"] = Forged, Verdict.Invalid, [FindingCodes.CompositeMismatch], FindingCodes.CompositeMismatch, null);
        Add(cases, "top_integrity_root_hash", n => n["integrity_root_hash"] = Forged, Verdict.Invalid, [FindingCodes.RootMismatch], FindingCodes.RootMismatch, null);
        Add(cases, "top_event_count", n => n["event_count"] = 7, Verdict.Invalid, [FindingCodes.EventCountMismatch], FindingCodes.EventCountMismatch, null);
        Add(cases, "top_trace_id", n => n["trace_id"] = "tr_forged0001", Verdict.Invalid,
            [FindingCodes.SealMismatch, FindingCodes.CertificateMismatch], FindingCodes.SealMismatch, null);
        Add(cases, "top_version", n => n["version"] = "traces/v2", Verdict.Invalid, [FindingCodes.UnsupportedVersion], FindingCodes.UnsupportedVersion, null);
        Add(cases, "top_status", n => n["status"] = "open", Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null);

        Add(cases, "certificate_algorithm_pkcs1", n => n["certificate"]!["algorithm"] = "rsa-pkcs1-sha256",
            Verdict.Invalid, [FindingCodes.UnsupportedAlgorithm], FindingCodes.UnsupportedAlgorithm, null);
        Add(cases, "certificate_key_replaced", n =>
            {
                n["certificate"]!["public_key"] = AttackerKeys.Rsa.ExportSubjectPublicKeyInfoPem();
                n["certificate"]!["key_id"] = Digest.Compute(AttackerKeys.Rsa.ExportSubjectPublicKeyInfo()).ToString();
            },
            Verdict.Invalid, [FindingCodes.UntrustedKey, FindingCodes.CertificateInvalid], FindingCodes.CertificateInvalid, null);
        Add(cases, "certificate_resigned_by_attacker", n =>
            {
                var c = Base.Certificate!;
                n["certificate"] = BundleJson.ToNode(AttackerKeys.Signer.Certify(c.TraceId!, c.EventCount!.Value, c.CompositeHash!,
                    c.IntegrityRootHash!, c.SealEventId!, c.SealedAt!), TracesJsonContext.Default.TraceCertificate);
            },
            Verdict.Untrusted, [FindingCodes.UntrustedKey], FindingCodes.UntrustedKey, null);
        Add(cases, "certificate_weak_rsa_1024", n => n["certificate"]!["public_key"] = AttackerKeys.WeakRsa1024PublicPem,
            Verdict.Invalid, [FindingCodes.WeakKey], FindingCodes.WeakKey, null);
        Add(cases, "entry_2_resigned_by_attacker", n => n["events"]!.AsArray()[2] = BundleJson.ToNode(ResignedByAttacker(2), TracesJsonContext.Default.BundleEntry),
            Verdict.Untrusted, [FindingCodes.UntrustedKey], FindingCodes.UntrustedKey, null);

        // The bundle cannot choose its own keys: entirely re-signed (entries, seal, certificate) by unpinned keys, it is
        // internally consistent, and still never Valid.
        cases.Add(new("bundle_resigned_by_attacker", BundleJson.Write(BundleJson.ToNode(AttackerKeys.Signer.CreateBundle(BaseTraceId, BaseEntries("")))),
            Verdict.Untrusted, [FindingCodes.UntrustedKey], FindingCodes.UntrustedKey, null, Typed: true));

        Add(cases, "payload_2_withheld", n => BundleJson.Entry(n, 2).Remove("payload"), Verdict.Valid, [FindingCodes.PayloadWithheld], FindingCodes.PayloadWithheld, null);
        Add(cases, "unknown_member_top_level", n => n["comment"] = "hello", Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null);
        Add(cases, "unknown_member_in_entry_2", n => BundleJson.Entry(n, 2)["comment"] = "hello", Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, 2);
        Add(cases, "unknown_member_in_certificate", n => n["certificate"]!["comment"] = "hello", Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null);
        Add(cases, "empty_events", n => n["events"] = new JsonArray(), Verdict.Invalid,
            [FindingCodes.Malformed, FindingCodes.EventCountMismatch, FindingCodes.SealMismatch, FindingCodes.CertificateMismatch], FindingCodes.Malformed, null);

        // Texts no JSON tree can hold: duplicate names, non-canonical or non-I-JSON payload numbers.
        AddText(cases, "duplicate_member_top_level", n => n["__dup__"] = BaseTraceId, t => BundleJson.ReplaceText(t, "\"__dup__\"", "\"trace_id\""),
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null, typed: false);
        AddText(cases, "duplicate_member_in_entry_2", n => BundleJson.Entry(n, 2)["__dup__"] = "document.anchored",
            t => BundleJson.ReplaceText(t, "\"__dup__\"", "\"event_type\""), Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, 2, typed: false);
        AddText(cases, "payload_1_noncanonical_numbers", n => BundleJson.Entry(n, 1)["payload"] = "__RAW__",
            t => BundleJson.ReplaceText(t, "\"__RAW__\"", """{"currency":"EUR","big":1E21,"amount":1.50}"""), Verdict.Valid, [], null, null, typed: true);
        AddText(cases, "payload_2_duplicate_key", n => BundleJson.Entry(n, 2)["payload"] = "__RAW__",
            t => BundleJson.ReplaceText(t, "\"__RAW__\"", """{"name":"contract.pdf","name":"other.pdf","pages":12}"""),
            Verdict.Invalid, [FindingCodes.PayloadHashMismatch], FindingCodes.PayloadHashMismatch, 2, typed: true);
        AddText(cases, "payload_2_unsafe_integer", n => BundleJson.Entry(n, 2)["payload"] = "__RAW__",
            t => BundleJson.ReplaceText(t, "\"__RAW__\"", """{"name":"contract.pdf","pages":9007199254740993}"""),
            Verdict.Invalid, [FindingCodes.PayloadHashMismatch], FindingCodes.PayloadHashMismatch, 2, typed: true);
        AddText(cases, "payload_2_nested_too_deep", n => BundleJson.Entry(n, 2)["payload"] = "__RAW__",
            t => BundleJson.ReplaceText(t, "\"__RAW__\"", new string('[', 70) + new string(']', 70)),
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, 2, typed: false);

        var valid = BundleJson.Write(BundleJson.ToNode(Base));
        foreach (var (name, length) in new[] { ("truncated_at_1", 1), ("truncated_at_100", 100), ("truncated_at_third", valid.Length / 3),
                     ("truncated_at_half", valid.Length / 2), ("truncated_before_last_brace", valid.Length - 2) })
        {
            // Reading stops inside events: the finding names the entry being read, the first not completely read (§10.1).
            cases.Add(new(name, valid[..length], Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, EntryBeingRead(valid, length), Typed: false));
        }

        cases.Add(new("garbage", [0x00, 0xff, .. "not json at all\n"u8], Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null, Typed: false));
        cases.Add(new("empty_file", [], Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null, Typed: false));
        cases.Add(new("root_is_array", "[1,2,3]\n"u8.ToArray(), Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null, Typed: false));

        AddText(cases, "entry_2_over_max_entry_bytes", n => BundleJson.Entry(n, 2)["payload"]!["padding"] = new string('x', 5000), t => t,
            Verdict.Invalid, [FindingCodes.LimitExceeded], FindingCodes.LimitExceeded, 2, typed: true, new TamperLimits(MaxEntryBytes: 4096));
        // The value limit bounds every value of the bundle, not only entries (proof-format §10.5): a long label too.
        AddText(cases, "label_over_max_entry_bytes", n => n["label"] = new string('x', 5000), t => t,
            Verdict.Invalid, [FindingCodes.LimitExceeded], FindingCodes.LimitExceeded, null, typed: true, new TamperLimits(MaxEntryBytes: 4096));

        // Issue 9: format rules that no signed value depends on, each still a finding (proof-format §9).
        Add(cases, "top_created_at_not_a_timestamp", n => n["created_at"] = "yesterday", Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null);
        foreach (var member in new[] { "label", "tenant_domain", "created_at" })
        {
            // An optional member is absent when it has no value, never null; an object model cannot tell the two apart.
            AddText(cases, $"top_{member}_null", n => n[member] = null, t => t, Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null, typed: false);
        }

        AddText(cases, "entry_2_public_key_null", n => BundleJson.Entry(n, 2)["public_key"] = null, t => t,
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, 2, typed: false);
        AddText(cases, "entry_0_previous_chain_hash_missing", n => BundleJson.Entry(n, 0).Remove("previous_chain_hash"), t => t,
            Verdict.Invalid, [FindingCodes.ChainBroken, FindingCodes.Malformed], FindingCodes.Malformed, 0, typed: false);
        AddText(cases, "entry_0_index_negative_zero", n => BundleJson.Entry(n, 0)["index"] = "__NEGZERO__", t => BundleJson.ReplaceText(t, "\"__NEGZERO__\"", "-0"),
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, 0, typed: false);
        Add(cases, "certificate_public_key_pkcs1", n => n["certificate"]!["public_key"] = TestKeys.Rsa.ExportRSAPublicKeyPem(),
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null);
        Add(cases, "top_event_count_unsafe_integer", n => n["event_count"] = JsonIntegerBeyondIJson,
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null);
        Add(cases, "certificate_event_count_unsafe_integer", n => n["certificate"]!["event_count"] = JsonIntegerBeyondIJson,
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null);

        // Invalid UTF-8 (§2.2 rule 1) anywhere in the document: malformed, and reading stops there.
        AddText(cases, "invalid_utf8_in_top_level_name", n => n["__BAD__"] = 1, t => HostileBytes.Replace(t, "__BAD__"u8, [0xFF]),
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, null, typed: false);
        AddText(cases, "invalid_utf8_in_entry_2_member_name", n => BundleJson.Entry(n, 2)["__BAD__"] = 1, t => HostileBytes.Replace(t, "__BAD__"u8, [0xC0, 0xAF]),
            Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, 2, typed: false);
        AddText(cases, "invalid_utf8_in_entry_2_payload", n => BundleJson.Entry(n, 2)["payload"]!["name"] = "contract__BAD__.pdf",
            t => HostileBytes.Replace(t, "__BAD__"u8, [0xED, 0xA0, 0x80]), Verdict.Invalid, [FindingCodes.Malformed], FindingCodes.Malformed, 2, typed: false);
        AddText(cases, "over_max_entries", _ => { }, t => t,
            Verdict.Invalid, [FindingCodes.LimitExceeded], FindingCodes.LimitExceeded, 5, typed: true, new TamperLimits(MaxEntries: 5));
        return cases;
    }

    /// <summary>
    /// The entry being read when a text cut at <paramref name="length"/> bytes ends: the number of entries complete before
    /// the cut, when the cut is inside <c>events</c> (after its <c>[</c>, before its <c>]</c>); otherwise null.
    /// </summary>
    private static long? EntryBeingRead(byte[] text, int length)
    {
        var start = text.AsSpan().IndexOf("\"events\": ["u8) + "\"events\": ["u8.Length;
        var end = text.AsSpan().IndexOf("\n  ],"u8);
        if (length < start || length > end + 3)
        {
            return null;
        }

        // Entries are written as "    {" … "    }" lines (two-space indent, one level inside events).
        var complete = 0;
        var at = start;
        while (true)
        {
            var close = text.AsSpan(at, length - at).IndexOf("\n    }"u8);
            if (close < 0)
            {
                return complete;
            }

            complete++;
            at += close + "\n    }"u8.Length;
        }
    }

    /// <summary>2^53 + 1: an integer JSON allows and I-JSON does not (RFC 7493 §2.2).</summary>
    private const long JsonIntegerBeyondIJson = 9_007_199_254_740_993;

    private static string AttackerPublicKey =>
        WireEncoding.FormatEd25519PublicKey(AttackerKeys.Ed25519.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey));

    private static BundleEntry ResignedByAttacker(int index)
    {
        var original = Base.Events![index];
        var previousText = original.PreviousChainHash;
        var previous = previousText is null ? Digest.Zero : Digest.Parse(previousText);
        return AttackerKeys.Signer.SignEntry(index, original.EventId!, original.EventType!, original.Payload!.Value.GetRawText(),
            original.IngestedAt!, previous, previousText);
    }

    internal static string FlipLastHex(string text) => text[..^1] + (text[^1] == '0' ? '1' : '0');

    private static void Add(List<TamperCase> cases, string name, Action<JsonObject> tamper, Verdict verdict, string[] codes, string? primary,
        long? first) => AddText(cases, name, tamper, t => t, verdict, codes, primary, first, typed: true);

    private static void AddText(List<TamperCase> cases, string name, Action<JsonObject> tamper, Func<byte[], byte[]> text, Verdict verdict,
        string[] codes, string? primary, long? first, bool typed, TamperLimits? limits = null)
    {
        var node = BundleJson.ToNode(Base);
        tamper(node);
        cases.Add(new(name, text(BundleJson.Write(node)), verdict, codes.Distinct().Order(StringComparer.Ordinal).ToList(), primary, first, typed, limits));
    }
}
