using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;

namespace Traces.Verification.Tests.Bundles;

/// <summary>
/// Issue 9 items 2, 5 and 6 at the entry points other than the bundle's text (the bundle cases are tamper vectors,
/// <see cref="TamperCases"/>): the minimal hostile inputs the campaign found, each an answer and never an exception,
/// and the typed path holding to the same limits as the text.
/// </summary>
public class HostileInputTests
{
    private static ProofBundle Small => VectorSet.Small;

    private static readonly BundleVerifier s_bundles = new(TestKeys.TrustBoth());
    private static readonly CertificateVerifier s_certificates = new(TestKeys.TrustBoth());
    private static readonly InclusionVerifier s_inclusion = new(TestKeys.TrustBoth());

    /// <summary>2^53 + 1.</summary>
    private const long BeyondIJson = 9_007_199_254_740_993;

    [Fact]
    public async Task Verify_SevenBytesWithInvalidUtf8InATopLevelMemberName_IsMalformed()
    {
        byte[] hostile = [(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'1', (byte)'}'];

        var inMemory = s_bundles.Verify(hostile);
        var streamed = await s_bundles.VerifyAsync(new ChunkedStream(hostile, seed: 7, maxChunk: 1), TestContext.Current.CancellationToken);

        foreach (var report in new[] { inMemory, streamed })
        {
            Assert.Equal(Verdict.Invalid, report.Verdict);
            Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
        }
    }

    [Fact]
    public void Verify_EscapedLoneSurrogateInATopLevelMemberName_IsMalformed()
    {
        var report = s_bundles.Verify("{\"\\ud800\":1}"u8.ToArray());

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
    }

    [Fact]
    public void Certificate_EventCountBeyondIJson_IsMalformed_ForEveryVerifierThatReadsIt()
    {
        // Read the way a caller reads a certificate file: the strict context, which accepts the number as a long.
        var certificate = CertificateVerifierTests.Mutate(Small.Certificate!, n => n["event_count"] = BeyondIJson);
        Assert.Equal(BeyondIJson, certificate.EventCount);

        var alone = s_certificates.Verify(certificate);
        var withEntries = s_certificates.Verify(certificate, Small.Events!);
        var inclusion = s_inclusion.Verify(Small.Events![2], VectorSet.InclusionProof(Small, 2), certificate);

        foreach (var report in new[] { alone, withEntries, inclusion })
        {
            Assert.Equal(Verdict.Invalid, report.Verdict);
            Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
            Assert.EndsWith("/event_count", report.Findings.Single().Location, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CertificateWithEntries_NullElement_IsMalformedAtItsIndex_NotAnException()
    {
        // A list read from hostile JSON ("[null]") holds a null: input, so a finding, as a null in a bundle's events is.
        var entries = JsonSerializer.Deserialize("[null]"u8, TracesJsonContext.Strict.ListBundleEntry)!;

        var report = s_certificates.Verify(Small.Certificate!, entries);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.EventCountMismatch, FindingCodes.Malformed], HostileBytes.Codes(report));
        Assert.Equal(0, report.FirstInvalidEntry?.EntryIndex);
        Assert.Equal("/events/0", report.Findings.Single(f => f.Code == FindingCodes.Malformed).Location);
    }

    [Fact]
    public void CertificateWithEntries_NullAmongValidEntries_IsMalformedAtItsIndex()
    {
        var entries = Small.Events!.Select((e, i) => i == 3 ? null : e).ToList();

        var report = s_certificates.Verify(Small.Certificate!, entries);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal(3, report.FirstInvalidEntry?.EntryIndex);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.Malformed && f.Location == "/events/3");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tr small")]
    public void Inclusion_ProofWithoutAUsableTraceId_IsMalformed_NeverValid(string? traceId)
    {
        var proof = WithProof(VectorSet.InclusionProof(Small, 2), p => p["trace_id"] = traceId);

        var report = s_inclusion.Verify(Small.Events![2], proof, Small.Certificate!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
        Assert.Equal("/proof/trace_id", report.Findings.Single().Location);
    }

    [Fact]
    public void Inclusion_ProofWithoutTraceIdMember_IsMalformed()
    {
        var proof = WithProof(VectorSet.InclusionProof(Small, 2), p => p.Remove("trace_id"));

        var report = s_inclusion.Verify(Small.Events![2], proof, Small.Certificate!);

        Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
    }

    [Theory]
    [InlineData("leaf_index")]
    [InlineData("tree_size")]
    [InlineData("composite_hash")]
    [InlineData("path")]
    public void Inclusion_ProofMemberMissing_IsMalformed(string member)
    {
        var proof = WithProof(VectorSet.InclusionProof(Small, 2), p => p.Remove(member));

        var report = s_inclusion.Verify(Small.Events![2], proof, Small.Certificate!);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
        Assert.Equal("/proof/" + member, report.Findings.Single().Location);
    }

    [Fact]
    public void Inclusion_ProofOfAnotherTrace_IsStillCertificateMismatch()
    {
        var proof = WithProof(VectorSet.InclusionProof(Small, 2), p => p["trace_id"] = "tr_other0001");

        var report = s_inclusion.Verify(Small.Events![2], proof, Small.Certificate!);

        Assert.Equal([FindingCodes.CertificateMismatch], HostileBytes.Codes(report));
    }

    [Fact]
    public void Typed_TenMegabyteLabel_IsLimitExceeded_AsOnTheStreamPath()
    {
        // Issue 9 item 6: the typed path said Valid where the stream said limit_exceeded.
        var bundle = With(Small, label: new string('x', 10 * 1024 * 1024));
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);

        var typed = s_bundles.Verify(bundle);
        var text = s_bundles.Verify(json);

        Assert.Equal(Verdict.Invalid, typed.Verdict);
        Assert.Equal([FindingCodes.LimitExceeded], HostileBytes.Codes(typed));
        Assert.Equal(HostileBytes.Codes(text), HostileBytes.Codes(typed));
        Assert.Equal("/label", typed.Findings.Single().Location);
    }

    [Fact]
    public void Typed_CertificateAndEntries_ApplyTheValueLimitToEachEntry()
    {
        var bundle = TestTraceSigner.Default.CreateBundle("tr_limits0001",
            [.. TestTraceSigner.SampleEntries(3), new TestEntry("agent.step", $$"""{"padding":"{{new string('x', 3000)}}"}""")]);
        var certificateSize = JsonSerializer.SerializeToUtf8Bytes(bundle.Certificate!, TracesJsonContext.Default.TraceCertificate).Length;
        var verifier = new CertificateVerifier(TestKeys.TrustBoth(), new VerificationOptions { MaxEntryBytes = certificateSize });

        var report = verifier.Verify(bundle.Certificate!, bundle.Events!);

        Assert.Equal([FindingCodes.LimitExceeded], HostileBytes.Codes(report));
        Assert.Equal(3, report.FirstInvalidEntry?.EntryIndex);
        Assert.Equal(Verdict.Valid, new CertificateVerifier(TestKeys.TrustBoth()).Verify(bundle.Certificate!, bundle.Events!).Verdict);
    }

    [Fact]
    public void Typed_InclusionDocumentsOverTheValueLimit_AreLimitExceeded()
    {
        var proof = VectorSet.InclusionProof(Small, 2);
        var longPath = WithProof(proof, p => p["path"] = new JsonArray([.. Enumerable.Repeat(proof.Path![0], 200).Select(d => (JsonNode?)JsonValue.Create(d))]));
        var verifier = new InclusionVerifier(TestKeys.TrustBoth(), new VerificationOptions { MaxEntryBytes = 4096 });

        var report = verifier.Verify(Small.Events![2], longPath, Small.Certificate!);

        Assert.Equal([FindingCodes.LimitExceeded], HostileBytes.Codes(report));
        Assert.Equal("/proof", report.Findings.Single().Location);
    }

    /// <summary>
    /// The bundle limit is a position in the document: for every limit from far below to just above the document's
    /// size, the object, its serialization in memory, and the serialization streamed in random chunks (one byte at a
    /// time included) give the same verdict, codes and first invalid entry.
    /// </summary>
    [Fact]
    public async Task BundleLimit_AtEveryPosition_TypedBytesAndStreamAgree()
    {
        var bundle = BundleJson.TryReadTyped(TamperCases.Get("entry2_signature").Json)!;
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);
        var limits = Enumerable.Range(0, 60).Select(i => (long)json.Length * i / 59)
            .Concat([json.Length - 2, json.Length - 1, json.Length, json.Length + 1, 1, 2])
            .Concat(Offsets(json, "\"event_count\":").Select(o => o + "\"event_count\":".Length + 1L)) // inside the number, and just after
            .Concat(Offsets(json, "\"event_count\":").Select(o => o + "\"event_count\":".Length + 2L))
            .Distinct().Order();

        foreach (var limit in limits)
        {
            var verifier = new BundleVerifier(TestKeys.TrustBoth(), new VerificationOptions { MaxBundleBytes = limit });

            var typed = verifier.Verify(bundle);
            var bytes = verifier.Verify(json);
            var streamed = await verifier.VerifyAsync(new ChunkedStream(json, seed: (int)limit, maxChunk: 300), TestContext.Current.CancellationToken);

            foreach (var other in new[] { bytes, streamed })
            {
                Assert.True(typed.Verdict == other.Verdict, $"limit {limit}: typed {typed.Verdict}, text {other.Verdict}");
                Assert.True(HostileBytes.Codes(typed).SequenceEqual(HostileBytes.Codes(other)),
                    $"limit {limit}: typed [{string.Join(", ", HostileBytes.Codes(typed))}], text [{string.Join(", ", HostileBytes.Codes(other))}]");
                Assert.Equal(typed.FirstInvalidEntry, other.FirstInvalidEntry);
            }

            Assert.Equal(limit >= json.Length ? [FindingCodes.SignatureInvalid] : (IEnumerable<string>)HostileBytes.Codes(typed), HostileBytes.Codes(typed));
            Assert.Equal(limit < json.Length, typed.Has(FindingCodes.LimitExceeded));
        }
    }

    [Fact]
    public void Typed_EntryValueLimit_AtEveryEntrySize_TypedAndBytesAgree()
    {
        var bundle = Small;
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);
        var sizes = bundle.Events!.Select(e => JsonSerializer.SerializeToUtf8Bytes(e, TracesJsonContext.Default.BundleEntry).Length).ToList();

        foreach (var limit in sizes.SelectMany(s => new[] { s - 1, s }).Distinct())
        {
            var verifier = new BundleVerifier(TestKeys.TrustBoth(), new VerificationOptions { MaxEntryBytes = limit });

            var typed = verifier.Verify(bundle);
            var bytes = verifier.Verify(json);

            Assert.Equal(bytes.Verdict, typed.Verdict);
            Assert.Equal(HostileBytes.Codes(bytes), HostileBytes.Codes(typed));
            Assert.Equal(bytes.FirstInvalidEntry, typed.FirstInvalidEntry);
        }
    }

    [Fact]
    public void Typed_PayloadSetToDefaultJsonElement_IsMalformed_NotAnException()
    {
        var entries = Small.Events!.Select((e, i) => i != 1 ? e : new BundleEntry
        {
            Index = e.Index, EventId = e.EventId, EventType = e.EventType, Payload = default(JsonElement), PayloadHash = e.PayloadHash,
            ContentHash = e.ContentHash, PreviousChainHash = e.PreviousChainHash, ChainHash = e.ChainHash, IngestedAt = e.IngestedAt,
            KeyId = e.KeyId, PublicKey = e.PublicKey, Signature = e.Signature,
        }).ToList();

        var report = s_bundles.Verify(With(Small, events: entries));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
        Assert.Equal("/events/1/payload", report.Findings.Single().Location);
    }

    /// <summary>
    /// A lenient reader keeps an escaped lone surrogate in a payload (a JsonElement holds the text), but no serializer
    /// can write it back: the typed path checks such an object as it is, and answers as the text does.
    /// </summary>
    [Theory]
    [InlineData("seal_event")]
    [InlineData("events")]
    public void Typed_PayloadWithAnEscapedLoneSurrogate_IsAnswered_AsTheTextIs(string where)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(Small, TracesJsonContext.Default.ProofBundle);
        var marker = where == "seal_event" ? "\"payload\":{\"trace_id\":"u8 : "\"payload\":{\"vendor\":"u8;
        var hostile = HostileBytes.Replace(json, marker, [.. "\"payload\":{\"lone\":\"\\ud800\","u8, .. marker["\"payload\":{".Length..]]);
        var typed = JsonSerializer.Deserialize(hostile, TracesJsonContext.Default.ProofBundle)!;

        var fromObject = s_bundles.Verify(typed);
        var fromText = s_bundles.Verify(hostile);

        Assert.Equal(Verdict.Invalid, fromText.Verdict);
        Assert.Equal(fromText.Verdict, fromObject.Verdict);
        Assert.Equal(HostileBytes.Codes(fromText), HostileBytes.Codes(fromObject));
        Assert.Contains(FindingCodes.PayloadHashMismatch, HostileBytes.Codes(fromObject));
    }

    private static IEnumerable<int> Offsets(byte[] json, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        for (var at = json.AsSpan().IndexOf(bytes); at >= 0;)
        {
            yield return at;
            var next = json.AsSpan(at + 1).IndexOf(bytes);
            at = next < 0 ? -1 : at + 1 + next;
        }
    }

    private static EntryInclusionProof WithProof(EntryInclusionProof proof, Action<JsonObject> change)
    {
        var node = BundleJson.ToNode(proof, TracesJsonContext.Default.EntryInclusionProof).AsObject();
        change(node);
        return JsonSerializer.Deserialize(node.ToJsonString(), TracesJsonContext.Strict.EntryInclusionProof)!;
    }

    private static ProofBundle With(ProofBundle b, string? label = null, IReadOnlyList<BundleEntry>? events = null) => new()
    {
        Version = b.Version, TraceId = b.TraceId, Label = label ?? b.Label, TenantDomain = b.TenantDomain, Status = b.Status,
        CreatedAt = b.CreatedAt, SealedAt = b.SealedAt, CompositeHash = b.CompositeHash, IntegrityRootHash = b.IntegrityRootHash,
        EventCount = b.EventCount, Events = events ?? b.Events, SealEvent = b.SealEvent, Certificate = b.Certificate,
    };
}
