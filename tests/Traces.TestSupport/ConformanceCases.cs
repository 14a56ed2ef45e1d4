using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Reports;

namespace Traces.TestSupport;

/// <summary>
/// Issue 10: every point where a second implementation of proof-format.md, written from the document alone, found
/// the verifier deciding against the spec or the spec silent. Each case is a bundle under docs/test-vectors/conformance/
/// with its verdict and exact codes, and names the section that decides it. Built over a trace of its own with
/// unicode-heavy payloads, signed by the pinned test keys.
/// </summary>
public static class ConformanceCases
{
    /// <summary>The trace the cases start from.</summary>
    public const string BaseTraceId = "tr_conform0001";

    /// <summary>Six entries whose payloads are unicode-heavy: scripts, emoji sequences, U+2028, bidi controls, escapes.</summary>
    public static IReadOnlyList<TestEntry> BaseEntries { get; } =
    [
        new("invoice.received", """{"vendor":"Ωmega Ünïcode GmbH — 東京支店 🚀","amount":12.5,"lines":[{"sku":"ß-1","qty":3}]}"""),
        new("document.anchored", """{"name":"договор №7.pdf","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}"""),
        new("ai.attestation", """{"model":"m-1","family":"👩‍👩‍👧‍👦","text":"line\u2028sep \u202eRTL עברית"}"""),
        new("agent.step", """{"step":3,"tool":"search","query":"ǅemal Ǆ ǆ"}"""),
        new("agent.step", """{"step":4,"tool":"answer","lang":"हिन्दी","escaped":"\u00e9\ud83d\ude00\t"}"""),
        new("payment.authorized", """{"amount":1e2,"currency":"EUR","ok":true,"none":null}"""),
    ];

    private static readonly Lazy<ProofBundle> s_base = new(() => TestTraceSigner.Deterministic.CreateBundle(BaseTraceId, BaseEntries));
    private static readonly Lazy<IReadOnlyList<TamperCase>> s_all = new(Build);

    /// <summary>The valid bundle the cases edit.</summary>
    public static ProofBundle Base => s_base.Value;

    /// <summary>Every case.</summary>
    public static IReadOnlyList<TamperCase> All => s_all.Value;

    /// <summary>The case with this name.</summary>
    public static TamperCase Get(string name) => All.Single(c => c.Name == name);

    private static readonly string[] Globals =
        [FindingCodes.CompositeMismatch, FindingCodes.RootMismatch, FindingCodes.SealMismatch, FindingCodes.CertificateMismatch];

    private static IReadOnlyList<TamperCase> Build()
    {
        var cases = new List<TamperCase>();
        var signer = TestTraceSigner.Deterministic;

        cases.Add(Case("base_valid", Write(BundleJson.ToNode(Base)), Verdict.Valid, [], null, typed: true));

        // 1. §9.1, §4.3: only an absent payload is withheld; null is a value and hashes as "null".
        cases.Add(Edit("payload_2_edited_to_null", n => BundleJson.Entry(n, 2)["payload"] = null,
            Verdict.Invalid, [FindingCodes.PayloadHashMismatch], 2, typed: true));
        cases.Add(Case("payloads_null_false_0_empty_valid", Write(BundleJson.ToNode(signer.CreateBundle("tr_conform0002",
            [
                new("agent.step", "null"), new("agent.step", "false"), new("agent.step", "0"), new("agent.step", "\"\""),
                new("agent.step", "[]"), new("agent.step", "{}"), new("agent.step", "-0.0"),
            ]))), Verdict.Valid, [], null, typed: true));

        // 2. §2.2 rule 1, §10.1: invalid UTF-8 inside a payload string is malformed and reading stops there; what was read
        // before (entry 1's flipped signature) is still reported, and the finding names the entry being read (3).
        foreach (var (name, bytes) in new (string, byte[])[]
                 {
                     ("ff", [0xFF]), ("overlong_slash", [0xC0, 0xAF]), ("encoded_surrogate", [0xED, 0xA0, 0x80]),
                     ("truncated_sequence", [0xE2, 0x82]), ("above_10ffff", [0xF4, 0x90, 0x80, 0x80]),
                 })
        {
            var node = BundleJson.ToNode(Base);
            FlipSignature(BundleJson.Entry(node, 1));
            BundleJson.Entry(node, 3)["payload"]!["query"] = "ǅemal__BAD__";
            cases.Add(Case($"invalid_utf8_{name}_in_payload_3", HostileBytes.Replace(Write(node), "__BAD__"u8, bytes),
                Verdict.Invalid, [FindingCodes.Malformed, FindingCodes.SignatureInvalid], 1, typed: false));
        }

        // 3. §3.2: every timestamp, created_at included, is exactly YYYY-MM-DDTHH:MM:SS.ffffffZ and a real UTC instant.
        foreach (var (name, value) in new[]
                 {
                     ("milliseconds", "2026-03-17T11:59:59.123Z"), ("month_13", "2026-13-17T11:59:59.000000Z"),
                     ("february_30", "2026-02-30T11:59:59.000000Z"), ("hour_24", "2026-03-17T24:00:00.000000Z"),
                     ("second_60", "2026-03-17T11:59:60.000000Z"), ("offset", "2026-03-17T11:59:59.000000+00:00"),
                 })
        {
            cases.Add(Edit($"created_at_{name}", n => n["created_at"] = value, Verdict.Invalid, [FindingCodes.Malformed], null, typed: true));
        }

        // A signed timestamp out of calendar: malformed, the entry cannot be hashed, nothing recomputed is compared.
        cases.Add(Edit("ingested_at_2_february_29_2026", n => BundleJson.Entry(n, 2)["ingested_at"] = "2026-02-29T12:00:02.000002Z",
            Verdict.Invalid, [FindingCodes.Malformed], 2, typed: true));

        // 4. §10.5: a payload may nest MaxDepth levels (its own array or object is level 1, [] counts), default 64.
        cases.Add(Deep("payload_depth_64_default", 64, null, Verdict.Valid, [], null));
        cases.Add(Deep("payload_depth_65_default", 65, null, Verdict.Invalid, [FindingCodes.Malformed], 2));
        cases.Add(Deep("payload_depth_66_max_depth_70", 66, 70, Verdict.Valid, [], null));
        cases.Add(Deep("payload_depth_70_max_depth_70", 70, 70, Verdict.Valid, [], null));
        cases.Add(Deep("payload_depth_71_max_depth_70", 71, 70, Verdict.Invalid, [FindingCodes.Malformed], 2));

        // 5. §10.2 step 1: a malformed carried key is ignored, and the pinned key still checks the signature.
        cases.Add(Edit("public_key_2_uppercase_signature_flipped", n =>
            {
                var entry = BundleJson.Entry(n, 2);
                entry["public_key"] = "ed25519_pk:" + entry["public_key"]!.GetValue<string>()["ed25519_pk:".Length..].ToUpperInvariant();
                FlipSignature(entry);
            },
            Verdict.Invalid, [FindingCodes.Malformed, FindingCodes.SignatureInvalid], 2, typed: true));
        cases.Add(Edit("seal_public_key_truncated_signature_flipped", n =>
            {
                var seal = n["seal_event"]!.AsObject();
                seal["public_key"] = seal["public_key"]!.GetValue<string>()[..^2];
                FlipSignature(seal);
            },
            Verdict.Invalid, [FindingCodes.Malformed, FindingCodes.SignatureInvalid], null, typed: true));

        // 6. §9: a member written twice is malformed; its last value is used and the rest is checked.
        cases.Add(Text("duplicate_event_type_2_last_forged", n => BundleJson.Entry(n, 2)["__DUP__"] = "document.forged",
            t => BundleJson.ReplaceText(t, "\"__DUP__\"", "\"event_type\""),
            Verdict.Invalid, [FindingCodes.Malformed, FindingCodes.ContentHashMismatch, .. Globals], 2));
        cases.Add(Text("duplicate_event_type_2_first_forged", n =>
            {
                var entry = BundleJson.Entry(n, 2);
                var original = entry["event_type"]!.GetValue<string>();
                entry["event_type"] = "document.forged";
                entry["__DUP__"] = original;
            },
            t => BundleJson.ReplaceText(t, "\"__DUP__\"", "\"event_type\""), Verdict.Invalid, [FindingCodes.Malformed], 2));
        cases.Add(Text("duplicate_signature_4_and_index_4_wrong", n =>
            {
                var entry = BundleJson.Entry(n, 4);
                entry["__DUP__"] = entry["signature"]!.GetValue<string>();
                entry["index"] = 7;
            },
            t => BundleJson.ReplaceText(t, "\"__DUP__\"", "\"signature\""), Verdict.Invalid, [FindingCodes.Malformed, FindingCodes.IndexMismatch], 4));
        cases.Add(Text("duplicate_key_id_in_seal_event", n => n["seal_event"]!["__DUP__"] = n["seal_event"]!["key_id"]!.GetValue<string>(),
            t => BundleJson.ReplaceText(t, "\"__DUP__\"", "\"key_id\""), Verdict.Invalid, [FindingCodes.Malformed], null));
        cases.Add(Text("duplicate_trace_id_in_certificate_last_forged", n => n["certificate"]!["__DUP__"] = "tr_forged0001",
            t => BundleJson.ReplaceText(t, "\"__DUP__\"", "\"trace_id\""),
            Verdict.Invalid, [FindingCodes.Malformed, FindingCodes.CertificateMismatch, FindingCodes.CertificateInvalid], null));

        // Silent points, decided in proof-format.md.
        // §9: a value out of its form is malformed and is not compared (no *_mismatch beside it).
        cases.Add(Edit("composite_hash_uppercase", n => n["composite_hash"] = n["composite_hash"]!.GetValue<string>().ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal),
            Verdict.Invalid, [FindingCodes.Malformed], null, typed: true));
        cases.Add(Edit("chain_hash_2_uppercase", n => BundleJson.Entry(n, 2)["chain_hash"] = BundleJson.Entry(n, 2)["chain_hash"]!.GetValue<string>().ToUpperInvariant().Replace("SHA256:", "sha256:", StringComparison.Ordinal),
            Verdict.Invalid, [FindingCodes.Malformed], 2, typed: true));
        // §9: an integer is an integer literal; 2.0 and 6e0 are numbers of that value but not integers.
        cases.Add(Text("index_2_written_2_0", n => BundleJson.Entry(n, 2)["index"] = "__NUM__",
            t => BundleJson.ReplaceText(t, "\"__NUM__\"", "2.0"), Verdict.Invalid, [FindingCodes.Malformed], 2));
        cases.Add(Text("event_count_written_6e0", n => n["event_count"] = "__NUM__",
            t => BundleJson.ReplaceText(t, "\"__NUM__\"", "6e0"), Verdict.Invalid, [FindingCodes.Malformed], null));
        // The seal payload's event_count 6.0 canonicalizes to 6, so its hash still holds: malformed, not seal_mismatch.
        cases.Add(Text("seal_payload_event_count_6_0", n => n["seal_event"]!["payload"]!["event_count"] = "__NUM__",
            t => BundleJson.ReplaceText(t, "\"__NUM__\"", "6.0"), Verdict.Invalid, [FindingCodes.Malformed], null));
        // §10.1 step 1: rules 3–5 apply outside payloads too (a string with a lone surrogate has no UTF-8 form).
        cases.Add(Text("label_lone_surrogate", n => n["label"] = "__LABEL__",
            t => BundleJson.ReplaceText(t, "\"__LABEL__\"", "\"Acme \\ud800 Corp\""), Verdict.Invalid, [FindingCodes.Malformed], null));
        cases.Add(Text("unknown_member_unsafe_integer", n => n["comment"] = "__NUM__",
            t => BundleJson.ReplaceText(t, "\"__NUM__\"", "1e400"), Verdict.Invalid, [FindingCodes.Malformed], null));
        // §10.1 step 5: after unsupported_algorithm the signature is checked with no scheme (a flipped one adds nothing).
        cases.Add(Edit("certificate_algorithm_pkcs1_signature_flipped", n =>
            {
                n["certificate"]!["algorithm"] = "rsa-pkcs1-sha256";
                FlipSignature(n["certificate"]!.AsObject());
            },
            Verdict.Invalid, [FindingCodes.UnsupportedAlgorithm], null, typed: true));
        // §7.2: the certificate's public_key is optional; the pinned key checks the signature.
        cases.Add(Edit("certificate_without_public_key", n => n["certificate"]!.AsObject().Remove("public_key"), Verdict.Valid, [], null, typed: true));
        cases.Add(Edit("certificate_without_public_key_signature_flipped", n =>
            {
                n["certificate"]!.AsObject().Remove("public_key");
                FlipSignature(n["certificate"]!.AsObject());
            },
            Verdict.Invalid, [FindingCodes.CertificateInvalid], null, typed: true));
        // §9.1: a bundle without events is malformed and has n = 0 entries (every check still runs).
        cases.Add(Edit("events_member_missing", n => n.Remove("events"),
            Verdict.Invalid, [FindingCodes.Malformed, FindingCodes.EventCountMismatch, FindingCodes.SealMismatch, FindingCodes.CertificateMismatch], null, typed: false));
        // §2.2: Unicode noncharacters are scalar values with one UTF-8 form: accepted (a documented departure from RFC 7493 §2.1).
        cases.Add(Case("payload_noncharacters_valid", Write(BundleJson.ToNode(signer.CreateBundle("tr_conform0003",
            [new("agent.step", "{\"raw\":\"\uFDD0\uFFFE\uFFFF\",\"escaped\":\"\\ufdef\\uffff\\ud83f\\udffe\"}")]))),
            Verdict.Valid, [], null, typed: true));
        // §10.3: payload_withheld is one document-level note, however many payloads were withheld.
        cases.Add(Edit("payloads_1_and_4_withheld", n =>
            {
                BundleJson.Entry(n, 1).Remove("payload");
                BundleJson.Entry(n, 4).Remove("payload");
            },
            Verdict.Valid, [FindingCodes.PayloadWithheld], null, typed: true));
        // §10.1: when reading stops, steps 3–5 are skipped, even for a seal event and certificate read before the stop.
        {
            var node = BundleJson.ToNode(Base);
            var reordered = new JsonObject();
            foreach (var name in new[] { "seal_event", "certificate" })
            {
                reordered[name] = name == "certificate"
                    ? BundleJson.ToNode(TamperCases.Other.Certificate!, TracesJsonContext.Default.TraceCertificate)
                    : node[name]!.DeepClone();
            }

            foreach (var (name, value) in node.ToList())
            {
                if (name is not ("seal_event" or "certificate"))
                {
                    reordered[name] = value!.DeepClone();
                }
            }

            BundleJson.Entry(reordered, 4)["payload"]!["tool"] = "answer__BAD__";
            cases.Add(Case("stop_at_entry_4_after_spliced_certificate", HostileBytes.Replace(Write(reordered), "__BAD__"u8, [0xFF]),
                Verdict.Invalid, [FindingCodes.Malformed], 4, typed: false));
        }

        // §7.2, §8.1: the certificate's PEM is read as RFC 7468 lax text: any line length, \n or \r\n, final newline optional.
        var der = Convert.ToBase64String(TestKeys.Rsa.ExportSubjectPublicKeyInfo());
        cases.Add(Edit("certificate_pem_76_columns_no_final_newline", n => n["certificate"]!["public_key"] =
                "-----BEGIN PUBLIC KEY-----\n" + string.Join("\n", der.Chunk(76).Select(c => new string(c))) + "\n-----END PUBLIC KEY-----",
            Verdict.Valid, [], null, typed: true));
        cases.Add(Edit("certificate_pem_one_line_crlf", n => n["certificate"]!["public_key"] =
                "-----BEGIN PUBLIC KEY-----\r\n" + der + "\r\n-----END PUBLIC KEY-----\r\n",
            Verdict.Valid, [], null, typed: true));

        // §10.5: the bundle limit counts every byte of the input, the final newline of a vector file included.
        var baseText = Write(BundleJson.ToNode(Base));
        cases.Add(new TamperCase("bundle_exactly_max_bundle_bytes", baseText, Verdict.Valid, [], null, null, Typed: false,
            new TamperLimits(MaxBundleBytes: baseText.Length)));
        cases.Add(new TamperCase("final_newline_over_max_bundle_bytes", baseText, Verdict.Invalid, [FindingCodes.LimitExceeded], null, null, Typed: false,
            new TamperLimits(MaxBundleBytes: baseText.Length - 1)));

        // §10.2: keys pinned by id only. A carried key that hashes to a pinned id verifies; without a carried key there
        // is nothing to verify with: untrusted_key (the signature is not checked).
        cases.Add(Case("key_ids_pinned_valid", baseText, Verdict.Valid, [], null, typed: true) with { TrustKeyIds = TestKeyIds });
        cases.Add(Edit("key_ids_pinned_entry_2_without_public_key", n => BundleJson.Entry(n, 2).Remove("public_key"),
            Verdict.Untrusted, [FindingCodes.UntrustedKey], null, typed: true) with { TrustKeyIds = TestKeyIds });
        cases.Add(Edit("key_ids_pinned_certificate_without_public_key", n => n["certificate"]!.AsObject().Remove("public_key"),
            Verdict.Untrusted, [FindingCodes.UntrustedKey], null, typed: true) with { TrustKeyIds = TestKeyIds });

        // §10.3: past MaxFindings the listed findings are the first in report order (by entry index), not the first
        // found: entries 0 and 1 have flipped signatures (found late, by the signature workers), entries 4 and 5 a wrong
        // index (found at once by the reader); with 2 listed, the two signature_invalid are listed.
        {
            var node = BundleJson.ToNode(Base);
            FlipSignature(BundleJson.Entry(node, 0));
            FlipSignature(BundleJson.Entry(node, 1));
            BundleJson.Entry(node, 4)["index"] = 40;
            BundleJson.Entry(node, 5)["index"] = 50;
            cases.Add(new TamperCase("max_findings_2_lists_entries_0_and_1", Write(node), Verdict.Invalid,
                Sorted([FindingCodes.SignatureInvalid, FindingCodes.FindingsTruncated]), null, 0, Typed: true, new TamperLimits(MaxFindings: 2)));
        }

        // §8.3: "as libsodium does" includes refusing a public key or an R of small order. Entry 2 carries the identity
        // point as its key (with the matching key_id) and the signature R = identity, S = 0, which a cofactorless check
        // that skips this test (OpenSSL) accepts for every message: not pinned, so untrusted_key, and signature_invalid.
        cases.Add(Edit("small_order_key_2_identity_signature", n =>
            {
                var entry = BundleJson.Entry(n, 2);
                byte[] identity = [0x01, .. new byte[31]];
                entry["public_key"] = "ed25519_pk:" + Convert.ToHexStringLower(identity);
                entry["key_id"] = Digest.Compute(identity).ToString();
                entry["signature"] = "ed25519:" + Convert.ToHexStringLower([0x01, .. new byte[63]]);
            },
            Verdict.Invalid, [FindingCodes.SignatureInvalid, FindingCodes.UntrustedKey], 2, typed: true));

        // §10.5, every boundary: a value (an entry, or any member value of the bundle) of exactly MaxEntryBytes is read,
        // one byte more is limit_exceeded; exactly MaxEntries entries are read, one more is limit_exceeded.
        var largest = LargestValue(baseText);
        cases.Add(new TamperCase("largest_value_exactly_max_entry_bytes", baseText, Verdict.Valid, [], null, null, Typed: false,
            new TamperLimits(MaxEntryBytes: largest.Length)));
        cases.Add(new TamperCase("largest_value_one_byte_over_max_entry_bytes", baseText, Verdict.Invalid, [FindingCodes.LimitExceeded], null,
            largest.Index, Typed: false, new TamperLimits(MaxEntryBytes: largest.Length - 1)));
        cases.Add(new TamperCase("exactly_max_entries", baseText, Verdict.Valid, [], null, null, Typed: true,
            new TamperLimits(MaxEntries: Base.Events!.Count)));

        // Keys fresh to these vectors (AttackerKeys: Ed25519 seed 32 × 0x42, an RSA-2048 key), pinned by key id: the
        // same unicode-heavy trace verifies under them, and a flipped signature at entry 3 is found.
        var fresh = AttackerKeys.Signer.CreateBundle("tr_fresh0001", BaseEntries);
        string[] freshIds =
        [
            fresh.Events![0].KeyId!,
            Digest.Compute(AttackerKeys.Rsa.ExportSubjectPublicKeyInfo()).ToString(),
        ];
        cases.Add(Case("fresh_keys_unicode_trace_valid", Write(BundleJson.ToNode(fresh)), Verdict.Valid, [], null, typed: true)
            with { TrustKeyIds = freshIds });
        var freshNode = BundleJson.ToNode(fresh);
        FlipSignature(BundleJson.Entry(freshNode, 3));
        cases.Add(Case("fresh_keys_entry_3_signature_flipped", Write(freshNode), Verdict.Invalid, [FindingCodes.SignatureInvalid], 3, typed: true)
            with { TrustKeyIds = freshIds });

        // §9.5, issue 11: the informative members Invoance's SDKs read (an entry's and the seal event's timestamp,
        // tenant_domain, verification) are form-checked and never used: with them in form, the report is the one
        // without them; a claim of true on a tampered bundle and of false on an intact one change nothing.
        cases.Add(Edit("informative_members_valid", n => Informative(n, true, true), Verdict.Valid, [], null, typed: true));
        cases.Add(Edit("informative_members_tampered_claims_true", n =>
            {
                Informative(n, true, true);
                BundleJson.Entry(n, 2)["payload"]!["model"] = "m-2";
            },
            Verdict.Invalid, [FindingCodes.PayloadHashMismatch], 2, typed: true));
        cases.Add(Edit("informative_members_claims_false_valid", n => Informative(n, false, false), Verdict.Valid, [], null, typed: true));
        cases.Add(Edit("informative_members_timestamp_differs_valid", n =>
            {
                Informative(n, true, true);
                BundleJson.Entry(n, 2)["timestamp"] = "2030-01-01T00:00:00.000000Z";
            },
            Verdict.Valid, [], null, typed: true));
        // Out of form: malformed, whatever the value says, and nothing else changes.
        cases.Add(Text("informative_members_timestamp_2_number", n =>
            {
                Informative(n, true, true);
                BundleJson.Entry(n, 2)["timestamp"] = "__NUM__";
            },
            t => BundleJson.ReplaceText(t, "\"__NUM__\"", "5"), Verdict.Invalid, [FindingCodes.Malformed], 2));
        cases.Add(Edit("informative_members_timestamp_3_seconds", n =>
            {
                Informative(n, true, true);
                BundleJson.Entry(n, 3)["timestamp"] = "2026-03-17T12:00:03Z";
            },
            Verdict.Invalid, [FindingCodes.Malformed], 3, typed: true));
        cases.Add(Edit("informative_members_seal_timestamp_null", n =>
            {
                Informative(n, true, true);
                n["seal_event"]!["timestamp"] = null;
            },
            Verdict.Invalid, [FindingCodes.Malformed], null, typed: false));
        cases.Add(Edit("informative_members_verification_extra_member", n =>
            {
                Informative(n, true, true);
                n["verification"]!["extra"] = true;
            },
            Verdict.Invalid, [FindingCodes.Malformed], null, typed: true));
        cases.Add(Edit("informative_members_verification_flag_string", n =>
            {
                Informative(n, true, true);
                n["verification"]!["composite_hash_valid"] = "true";
            },
            Verdict.Invalid, [FindingCodes.Malformed], null, typed: false));
        cases.Add(Edit("informative_members_verification_missing_flag", n =>
            {
                Informative(n, true, true);
                n["verification"]!.AsObject().Remove("all_signatures_valid");
            },
            Verdict.Invalid, [FindingCodes.Malformed], null, typed: true));
        cases.Add(Edit("informative_members_verification_null", n =>
            {
                Informative(n, true, true);
                n["verification"] = null;
            },
            Verdict.Invalid, [FindingCodes.Malformed], null, typed: false));
        cases.Add(Text("informative_members_verification_duplicate_flag", n =>
            {
                Informative(n, true, true);
                n["verification"]!["__DUP__"] = false;
            },
            t => BundleJson.ReplaceText(t, "\"__DUP__\"", "\"composite_hash_valid\""), Verdict.Invalid, [FindingCodes.Malformed], null));
        // The list is closed, per place: created_at is informative on the bundle, unknown on an entry.
        cases.Add(Edit("informative_members_unknown_other_member", n =>
            {
                Informative(n, true, true);
                BundleJson.Entry(n, 1)["created_at"] = BundleJson.Entry(n, 1)["ingested_at"]!.GetValue<string>();
            },
            Verdict.Invalid, [FindingCodes.Malformed], 1, typed: true));

        return cases;
    }

    /// <summary>
    /// Adds the informative members of §9.5 as a service writes them: each entry's and the seal event's
    /// <c>timestamp</c> equal to its <c>ingested_at</c>, and <c>verification</c> with the given flags.
    /// </summary>
    public static void Informative(JsonObject bundle, bool compositeHashValid, bool allSignaturesValid)
    {
        foreach (var entry in bundle["events"]!.AsArray())
        {
            entry!["timestamp"] = entry["ingested_at"]!.GetValue<string>();
        }

        bundle["seal_event"]!["timestamp"] = bundle["seal_event"]!["ingested_at"]!.GetValue<string>();
        bundle["verification"] = new JsonObject
        {
            ["composite_hash_valid"] = compositeHashValid,
            ["all_signatures_valid"] = allSignaturesValid,
        };
    }

    private static readonly string[] TestKeyIds = [TestKeys.Ed25519KeyId, TestKeys.RsaKeyId];

    /// <summary>
    /// The length in bytes of the longest value read alone (a member value of the bundle other than events, or an
    /// entry), and the entry index when it is an entry (the first of that length in the document).
    /// </summary>
    private static (int Length, long? Index) LargestValue(byte[] text)
    {
        var reader = new Utf8JsonReader(text);
        (int Length, long? Index) largest = (0, null);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var events = reader.ValueTextEquals("events"u8);
            reader.Read();
            if (events)
            {
                for (long i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
                {
                    var start = reader.TokenStartIndex;
                    reader.Skip();
                    var length = (int)(reader.BytesConsumed - start);
                    largest = length > largest.Length ? (length, i) : largest;
                }
            }
            else
            {
                var start = reader.TokenStartIndex;
                reader.Skip();
                var length = (int)(reader.BytesConsumed - start);
                largest = length > largest.Length ? (length, null) : largest;
            }
        }

        return largest;
    }

    /// <summary>A bundle of three entries whose entry 2 payload is <paramref name="depth"/> nested arrays.</summary>
    private static TamperCase Deep(string name, int depth, int? maxDepth, Verdict verdict, string[] codes, long? first)
    {
        var payload = new string('[', depth) + new string(']', depth);
        var bundle = TestTraceSigner.Deterministic.CreateBundle("tr_conform0004",
            [new("agent.step", """{"step":0}"""), new("agent.step", """{"step":1}"""), new("agent.step", payload)]);
        // The tree writer cannot hold the deep payload: written as a placeholder, then replaced in the text.
        var node = BundleJson.ToNode(new ProofBundle
        {
            Version = bundle.Version, TraceId = bundle.TraceId, Label = bundle.Label, TenantDomain = bundle.TenantDomain, Status = bundle.Status,
            CreatedAt = bundle.CreatedAt, SealedAt = bundle.SealedAt, CompositeHash = bundle.CompositeHash,
            IntegrityRootHash = bundle.IntegrityRootHash, EventCount = bundle.EventCount, SealEvent = bundle.SealEvent, Certificate = bundle.Certificate,
            Events = [bundle.Events![0], bundle.Events[1], Placeholder(bundle.Events[2])],
        });
        var text = BundleJson.ReplaceText(Write(node), "\"__DEEP__\"", payload);
        return new TamperCase(name, text, verdict, Sorted(codes), null, first, Typed: false,
            maxDepth is null ? null : new TamperLimits(MaxDepth: maxDepth));
    }

    private static BundleEntry Placeholder(BundleEntry e)
    {
        using var placeholder = JsonDocument.Parse("\"__DEEP__\"");
        return new BundleEntry
        {
            Index = e.Index, EventId = e.EventId, EventType = e.EventType, Payload = placeholder.RootElement.Clone(), PayloadHash = e.PayloadHash,
            ContentHash = e.ContentHash, PreviousChainHash = e.PreviousChainHash, ChainHash = e.ChainHash, IngestedAt = e.IngestedAt,
            KeyId = e.KeyId, PublicKey = e.PublicKey, Signature = e.Signature,
        };
    }

    private static void FlipSignature(JsonObject signed) => signed["signature"] = TamperCases.FlipLastHex(signed["signature"]!.GetValue<string>());

    private static byte[] Write(JsonNode node) => BundleJson.Write(node);

    private static TamperCase Edit(string name, Action<JsonObject> tamper, Verdict verdict, string[] codes, long? first, bool typed)
    {
        var node = BundleJson.ToNode(Base);
        tamper(node);
        return Case(name, Write(node), verdict, codes, first, typed);
    }

    private static TamperCase Text(string name, Action<JsonObject> tamper, Func<byte[], byte[]> text, Verdict verdict, string[] codes, long? first)
    {
        var node = BundleJson.ToNode(Base);
        tamper(node);
        return Case(name, text(Write(node)), verdict, codes, first, typed: false);
    }

    // The manifest names no primary code for these cases: each is about the set of codes and where reading stops.
    private static TamperCase Case(string name, byte[] json, Verdict verdict, string[] codes, long? first, bool typed) =>
        new(name, json, verdict, Sorted(codes), PrimaryCode: null, first, typed);

    private static List<string> Sorted(string[] codes) => codes.Distinct().Order(StringComparer.Ordinal).ToList();
}
