using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.TestSupport.Fuzzing;

/// <summary>The budget and seed of a fuzz run.</summary>
/// <param name="Inputs">Mutated inputs to try.</param>
/// <param name="Seed">The seed of every random choice: the same seed replays the same inputs.</param>
/// <param name="LiveWorkers">Optional: the process's live signature workers, asserted 0 after every call.</param>
public sealed record FuzzOptions(int Inputs, int Seed, Func<int>? LiveWorkers = null);

/// <summary>What a fuzz run did.</summary>
public sealed class FuzzStatistics
{
    /// <summary>
    /// Inputs tried, by kind: bundle, certificate, entries, inclusion (mutated documents), and the bundles made by
    /// putting each mutated certificate or entry list into bundle-small.
    /// </summary>
    public SortedDictionary<string, int> Inputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Verifier calls made (every entry point and option set).</summary>
    public long Calls { get; set; }

    /// <summary>Verdicts of the in-memory bundle path and of the other documents' verifiers.</summary>
    public SortedDictionary<string, int> Verdicts { get; } = new(StringComparer.Ordinal);

    /// <summary>Bundle inputs whose typed form is faithful to the text (compared with the text's verdict and codes).</summary>
    public int FaithfulTyped { get; set; }

    /// <summary>Bundle inputs that the lenient deserializer could read (typed path exercised).</summary>
    public int Typed { get; set; }

    /// <summary>Bundle inputs also verified under small limits.</summary>
    public int UnderSmallLimits { get; set; }

    /// <summary>Wall-clock time of the run.</summary>
    public TimeSpan Elapsed { get; set; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Inputs.Values.Sum()} inputs ({string.Join(", ", Inputs.Select(p => $"{p.Key} {p.Value}"))}), {Calls} verifier calls, " +
        $"{Typed} bundles with a typed form ({FaithfulTyped} faithful), {UnderSmallLimits} also under small limits, " +
        $"verdicts {string.Join(", ", Verdicts.Select(p => $"{p.Key} {p.Value}"))}, " +
        $"{Elapsed.TotalSeconds:F1} s");
}

/// <summary>A property the fuzzer checks did not hold; the message has what is needed to replay it.</summary>
public sealed class FuzzViolationException(string message) : Exception(message);

/// <summary>
/// A deterministic in-process fuzzer of the verifiers (issue 9, "Must show"): mutates the documents of
/// docs/test-vectors (bundles, certificates, entry lists, inclusion proofs; valid and tampered) with a fixed seed and
/// runs every entry point on each: bundle bytes, the same bytes as a stream in random chunks (one byte at a time
/// included), the typed objects the text deserializes to, and the certificate, entries and inclusion verifiers. It
/// asserts that no call throws, that the bytes and the stream give the same report, that the typed path gives the
/// verdict and codes of the text it serializes to (and of the original text when that serialization is faithful),
/// and that nothing is Valid unless its signed content is that of a genuinely signed document.
/// </summary>
public static class VerifierFuzzer
{
    private static readonly TrustPolicy s_trust = TestKeys.TrustBoth();
    private static readonly BundleVerifier s_bundles = new(s_trust);
    private static readonly CertificateVerifier s_certificates = new(s_trust);
    private static readonly InclusionVerifier s_inclusion = new(s_trust);

    /// <summary>Runs <paramref name="options"/>; throws <see cref="FuzzViolationException"/> at the first violation.</summary>
    public static FuzzStatistics Run(FuzzOptions options, Action<string>? log = null)
    {
        var corpus = Corpus.Value;
        var random = new Random(options.Seed);
        var mutator = new JsonMutator(random);
        var statistics = new FuzzStatistics();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Inputs; i++)
        {
            var context = new FuzzInput(options, statistics, random, i);
            var pick = random.Next(100);
            if (pick < 60)
            {
                // Mostly the small bundles; the 300-entry one now and then (its signatures run on worker threads).
                var seed = random.Next(50) == 0 ? corpus.Large : corpus.Bundles[random.Next(corpus.Bundles.Count)];
                var mutated = mutator.Mutate(seed, out var what);
                context.Bundle(mutated, "bundle: " + what);
            }
            else if (pick < 75)
            {
                var mutated = mutator.Mutate(corpus.Certificate, out var what);
                context.Certificate(mutated, corpus, "certificate: " + what);
            }
            else if (pick < 87)
            {
                var mutated = mutator.Mutate(corpus.Entries, out var what);
                context.Entries(mutated, corpus, "entries: " + what);
            }
            else
            {
                var part = random.Next(3);
                var mutated = mutator.Mutate(part switch { 0 => corpus.Entry, 1 => corpus.Proof, _ => corpus.Certificate }, out var what);
                var entry = part == 0 ? mutated : corpus.Entry;
                var proof = part == 1 ? mutated : corpus.Proof;
                var certificate = part == 2 ? mutated : corpus.Certificate;
                context.Inclusion(entry, proof, certificate, corpus, "inclusion " + new[] { "entry", "proof", "certificate" }[part] + ": " + what);
            }

            if (log is not null && (i + 1) % 500 == 0)
            {
                log(string.Create(CultureInfo.InvariantCulture, $"{i + 1} inputs, {statistics.Calls} calls, {clock.Elapsed.TotalSeconds:F1} s"));
            }
        }

        statistics.Elapsed = clock.Elapsed;
        return statistics;
    }

    private static readonly Lazy<FuzzCorpus> Corpus = new(FuzzCorpus.Load);

    private sealed class FuzzInput(FuzzOptions options, FuzzStatistics statistics, Random random, int index)
    {
        private string _what = "";
        private byte[] _input = [];

        public void Bundle(byte[] json, string what, string kind = "bundle")
        {
            Count(kind, json, what);
            if (json.Length > 4 * 1024 * 1024)
            {
                return;
            }

            var bytes = Call(() => s_bundles.Verify(json), "Verify(bytes)");
            Tally(bytes);
            var chunk = random.Next(3) switch { 0 => 1, 1 => random.Next(2, 65), _ => random.Next(65, 70_000) };
            var streamed = Call(() => s_bundles.VerifyAsync(new ChunkedStream(json, random.Next(), chunk)).GetAwaiter().GetResult(),
                $"VerifyAsync(stream, chunks up to {chunk})");
            SameReport(bytes, streamed, "bytes", "stream");
            OnlyGenuineIsValid(bytes, () => SignedProjection.OfBundle(json), Corpus.Value.Genuine, json);

            var typed = ReadTyped(json, TracesJsonContext.Default.ProofBundle);
            if (typed is not null)
            {
                statistics.Typed++;
                TypedBundle(typed, json, s_bundles, bytes);
                EntriesAndInclusionOf(typed);
            }

            if (random.Next(8) == 0)
            {
                // Small limits, at random positions: the same text must get the same report however it is chunked, and
                // an object the report of the text it serializes to.
                statistics.UnderSmallLimits++;
                var limited = new BundleVerifier(s_trust, new VerificationOptions
                {
                    MaxEntryBytes = random.Next(300, 4000),
                    MaxBundleBytes = random.Next(Math.Max(1, json.Length / 2), json.Length + 16),
                    MaxEntries = random.Next(1, 8),
                });
                var limitedBytes = Call(() => limited.Verify(json), "Verify(bytes) under small limits");
                var limitedStream = Call(() => limited.VerifyAsync(new ChunkedStream(json, random.Next(), random.Next(1, 3000))).GetAwaiter().GetResult(),
                    "VerifyAsync(stream) under small limits");
                SameReport(limitedBytes, limitedStream, "bytes under small limits", "stream under small limits");
                if (typed is not null)
                {
                    TypedBundle(typed, null, limited, null);
                }
            }
        }

        public void Certificate(byte[] json, FuzzCorpus corpus, string what)
        {
            Count("certificate", json, what);
            var certificate = ReadTyped(json, TracesJsonContext.Strict.TraceCertificate);
            if (certificate is not null)
            {
                var report = Call(() => s_certificates.Verify(certificate), "CertificateVerifier.Verify(certificate)");
                Tally(report);
                OnlyGenuineIsValid(report, () => SignedProjection.OfCertificate(json), corpus.GenuineCertificates, json);
            }

            // The same certificate text inside a bundle, through every bundle entry point.
            if (Splice(corpus.SmallCompact, "\"certificate\":", json) is { } bundle)
            {
                Bundle(bundle, what + " (in bundle-small)", "bundle with that certificate");
            }
        }

        public void Entries(byte[] json, FuzzCorpus corpus, string what)
        {
            Count("entries", json, what);
            var entries = ReadTyped(json, TracesJsonContext.Strict.ListBundleEntry);
            if (entries is not null)
            {
                var report = Call(() => s_certificates.Verify(corpus.SmallCertificate, entries), "CertificateVerifier.Verify(certificate, entries)");
                Tally(report);
                OnlyGenuineIsValid(report, () => SignedProjection.OfEntries(json, corpus.Certificate), corpus.GenuineEntries, json);
            }

            if (Splice(corpus.SmallCompact, "\"events\":", json) is { } bundle)
            {
                Bundle(bundle, what + " (in bundle-small)", "bundle with those entries");
            }
        }

        public void Inclusion(byte[] entryJson, byte[] proofJson, byte[] certificateJson, FuzzCorpus corpus, string what)
        {
            Count("inclusion", [.. entryJson, .. proofJson, .. certificateJson], what);
            var entry = ReadTyped(entryJson, TracesJsonContext.Strict.BundleEntry);
            var proof = ReadTyped(proofJson, TracesJsonContext.Strict.EntryInclusionProof);
            var certificate = ReadTyped(certificateJson, TracesJsonContext.Strict.TraceCertificate);
            if (entry is null || proof is null || certificate is null)
            {
                return;
            }

            var report = Call(() => s_inclusion.Verify(entry, proof, certificate), "InclusionVerifier.Verify");
            Tally(report);
            OnlyGenuineIsValid(report, () => SignedProjection.OfInclusion(entryJson, proofJson, certificateJson), corpus.GenuineInclusions, entryJson);
        }

        private void TypedBundle(ProofBundle typed, byte[]? text, BundleVerifier verifier, VerificationReport? textReport)
        {
            var fromObject = Call(() => verifier.Verify(typed), "Verify(ProofBundle)");
            var serialized = Serialize(typed, TracesJsonContext.Default.ProofBundle);
            if (serialized is not null)
            {
                var fromSerialized = Call(() => verifier.Verify(serialized), "Verify(bytes of the serialized object)");
                SameVerdictAndCodes(fromSerialized, fromObject, "serialized object", "typed object");
                OnlyGenuineIsValid(fromObject, () => SignedProjection.OfBundle(serialized), Corpus.Value.Genuine, serialized);
                if (text is not null && textReport is not null && JsonFaithfulness.SameDocument(text, serialized))
                {
                    statistics.FaithfulTyped++;
                    SameVerdictAndCodes(textReport, fromObject, "text", "typed object");
                }
            }
            else if (fromObject.Verdict == Verdict.Valid)
            {
                Fail("Verify(ProofBundle) is Valid for an object that has no JSON text");
            }
        }

        private void EntriesAndInclusionOf(ProofBundle typed)
        {
            if (typed.Certificate is not { } certificate || typed.Events is not { Count: > 0 } events)
            {
                return;
            }

            var corpus = Corpus.Value;
            var report = Call(() => s_certificates.Verify(certificate, events), "CertificateVerifier.Verify(certificate, events of the bundle)");
            var certificateJson = Serialize(certificate, TracesJsonContext.Default.TraceCertificate);
            var eventsJson = Serialize(events.ToList(), TracesJsonContext.Default.ListBundleEntry);
            OnlyGenuineIsValid(report, () => eventsJson is null || certificateJson is null ? null : SignedProjection.OfEntries(eventsJson, certificateJson),
                corpus.GenuineEntries, eventsJson ?? []);

            var at = random.Next(events.Count);
            if (events[at] is not { } entry || events.Any(e => e?.ContentHash is null || !Verification.Hashing.Digest.TryParse(e.ContentHash, out _)))
            {
                return;
            }

            var proof = VectorSet.InclusionProof(typed, at);
            var inclusion = Call(() => s_inclusion.Verify(entry, proof, certificate), "InclusionVerifier.Verify(entry of the bundle)");
            var entryJson = Serialize(entry, TracesJsonContext.Default.BundleEntry);
            var proofJson = Serialize(proof, TracesJsonContext.Default.EntryInclusionProof);
            OnlyGenuineIsValid(inclusion, () => entryJson is null || proofJson is null || certificateJson is null
                ? null : SignedProjection.OfInclusion(entryJson, proofJson, certificateJson), corpus.GenuineInclusions, entryJson ?? []);
        }

        private void Count(string kind, byte[] input, string what)
        {
            statistics.Inputs[kind] = statistics.Inputs.GetValueOrDefault(kind) + 1;
            _what = what;
            _input = input;
        }

        private void Tally(VerificationReport report) =>
            statistics.Verdicts[report.Verdict.ToString()] = statistics.Verdicts.GetValueOrDefault(report.Verdict.ToString()) + 1;

        private VerificationReport Call(Func<VerificationReport> call, string entryPoint)
        {
            statistics.Calls++;
            VerificationReport report;
            try
            {
                report = call();
            }
            catch (Exception exception)
            {
                Fail($"{entryPoint} threw {exception}");
                throw;
            }

            if (options.LiveWorkers?.Invoke() is { } live and not 0)
            {
                Fail($"{entryPoint} returned with {live} signature workers still running");
            }

            return report;
        }

        private T? ReadTyped<T>(byte[] json, JsonTypeInfo<T> type)
            where T : class
        {
            try
            {
                return JsonSerializer.Deserialize(json, type);
            }
            catch (JsonException)
            {
                return null; // Not a document of this type: a caller gets the same JsonException and has nothing to verify.
            }
            catch (Exception exception)
            {
                Fail($"Deserializing {typeof(T).Name} threw {exception.GetType().Name} (only JsonException is expected): {exception.Message}");
                throw;
            }
        }

        private void SameReport(VerificationReport a, VerificationReport b, string nameA, string nameB)
        {
            SameVerdictAndCodes(a, b, nameA, nameB);
            var findingsA = Findings(a);
            var findingsB = Findings(b);
            if (!findingsA.SequenceEqual(findingsB) || a.EntryCount != b.EntryCount || a.CompositeHash != b.CompositeHash
                || a.IntegrityRootHash != b.IntegrityRootHash)
            {
                Fail($"{nameA} and {nameB} differ:\n  {string.Join("\n  ", findingsA)}\nvs\n  {string.Join("\n  ", findingsB)}");
            }
        }

        private void SameVerdictAndCodes(VerificationReport a, VerificationReport b, string nameA, string nameB)
        {
            if (a.Verdict != b.Verdict || !HostileBytes.Codes(a).SequenceEqual(HostileBytes.Codes(b)) || a.FirstInvalidEntry != b.FirstInvalidEntry)
            {
                Fail($"{nameA}: {a.Verdict} [{string.Join(", ", HostileBytes.Codes(a))}] first {a.FirstInvalidEntry?.EntryIndex}; " +
                    $"{nameB}: {b.Verdict} [{string.Join(", ", HostileBytes.Codes(b))}] first {b.FirstInvalidEntry?.EntryIndex}\n  " +
                    string.Join("\n  ", Findings(a)) + "\nvs\n  " + string.Join("\n  ", Findings(b)));
            }
        }

        /// <summary>Valid only with a genuine signed projection, and with every payload of <paramref name="withPayloads"/> hashing right.</summary>
        private void OnlyGenuineIsValid(VerificationReport report, Func<string?> projection, IReadOnlySet<string> genuine, byte[] withPayloads)
        {
            if (report.Verdict != Verdict.Valid)
            {
                return;
            }

            var projected = projection();
            if (projected is null || !genuine.Contains(projected))
            {
                Fail("Valid although a signed field differs from every genuinely signed document");
            }

            if (SignedProjection.CheckPayloads(withPayloads) == PayloadCheck.Mismatch)
            {
                Fail("Valid although a present payload (null included) does not hash to its payload_hash");
            }
        }

        private static List<string> Findings(VerificationReport report) => report.Findings
            .Select(f => $"{f.Code} @{f.EntryIndex?.ToString(CultureInfo.InvariantCulture) ?? "-"} {f.Location}")
            .Order(StringComparer.Ordinal).ToList();

        private void Fail(string problem)
        {
            var input = _input.Length <= 65_536 ? Convert.ToBase64String(_input) : $"({_input.Length} bytes; replay the seed)";
            throw new FuzzViolationException(string.Create(CultureInfo.InvariantCulture,
                $"Fuzz seed {options.Seed}, input {index}: {problem}\nmutation: {_what}\ninput (base64): {input}"));
        }
    }

    private static byte[]? Serialize<T>(T value, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, type);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary><paramref name="compact"/> with the value after <paramref name="member"/> replaced by <paramref name="value"/>.</summary>
    private static byte[]? Splice(byte[] compact, string member, byte[] value)
    {
        var name = Encoding.UTF8.GetBytes(member);
        var at = compact.AsSpan().IndexOf(name);
        if (at < 0)
        {
            return null;
        }

        var start = at + name.Length;
        var reader = new Utf8JsonReader(compact.AsSpan(start));
        reader.Read();
        reader.Skip();
        return [.. compact.AsSpan(0, start), .. value, .. compact.AsSpan(start + (int)reader.BytesConsumed)];
    }
}
