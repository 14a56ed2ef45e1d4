using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Benchmarks;

/// <summary>
/// <c>--profile</c>: single-threaded CPU cost of each per-entry step, to see where the verifier spends time beside
/// the signature check. The "producer without signatures" line verifies a bundle whose entries carry no public key
/// under an empty trust policy, so no signature is checked: what is left is the reader's and session's work.
/// </summary>
internal static class Profile
{
    public static int Run(int n, bool producerOnly)
    {
        var records = BenchData.CreateRecords(n);
        var entries = new byte[n][];
        var keyId = TestKeys.Ed25519KeyId;
        var publicKeyText = WireEncoding.FormatEd25519PublicKey(TestKeys.Ed25519PublicRaw);
        for (var i = 0; i < n; i++)
        {
            var writer = new ArrayBufferWriter<byte>(1200);
            BenchData.WriteEntry(writer, i, records.AsSpan(i * BenchData.RecordSize, BenchData.RecordSize),
                i == 0 ? default : records.AsSpan((i - 1) * BenchData.RecordSize + 64, 32), keyId, publicKeyText);
            entries[i] = writer.WrittenSpan.ToArray();
        }

        var parsed = entries.Select(e => JsonSerializer.Deserialize(e, TracesJsonContext.Strict.BundleEntry)!).ToArray();
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, TestKeys.Ed25519PublicRaw, KeyBlobFormat.RawPublicKey);
        var messages = Enumerable.Range(0, n).Select(i => SignedMessage.Create(SignatureLabels.Event, Digest.FromBytes(records.AsSpan(i * BenchData.RecordSize + 32, 32)))).ToArray();

        for (var pass = 0; pass < (producerOnly ? 0 : 2); pass++)
        {
            Console.WriteLine($"# pass {pass + 1} (us per entry, one thread)");
            Time("ed25519 verify (NSec)", n, i => SignatureAlgorithm.Ed25519.Verify(key, messages[i], records.AsSpan(i * BenchData.RecordSize + 96, 64)));
            Time("deserialize BundleEntry", n, i => JsonSerializer.Deserialize(entries[i], TracesJsonContext.Strict.BundleEntry));
            Time("payload JCS + SHA-256", n, i => EntryHasher.TryComputePayloadHash(parsed[i].Payload!.Value, out _, out _));
            Time("content hash", n, i => EntryHasher.ComputeContentHash(parsed[i].EventId!, parsed[i].EventType!, parsed[i].IngestedAt!, Digest.Parse(parsed[i].PayloadHash!)));
            Time("parse 4 digests + signature", n, i =>
            {
                Span<byte> sig = stackalloc byte[64];
                return Digest.TryParse(parsed[i].PayloadHash, out _) & Digest.TryParse(parsed[i].ContentHash, out _) & Digest.TryParse(parsed[i].ChainHash, out _)
                    & Digest.TryParse(parsed[i].KeyId, out _) & WireEncoding.TryParseEd25519Signature(parsed[i].Signature, sig);
            });
        }

        // The whole reader + session with no signature to check.
        var unsigned = new MemoryStream();
        var (head, tail) = BenchData.EnvelopeFor(records, n);
        using (var generated = new GeneratedBundleStream(head, tail, n, new MemoryRecordSource(records), carryPublicKey: false))
        {
            generated.CopyTo(unsigned);
        }

        var verifier = new BundleVerifier(TrustPolicy.CreateBuilder().Build());
        for (var pass = 0; pass < (producerOnly ? 15 : 3); pass++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var gen0 = GC.CollectionCount(0);
            var clock = Stopwatch.StartNew();
            var report = verifier.VerifyAsync(new MemoryStream(unsigned.GetBuffer(), 0, (int)unsigned.Length, false)).GetAwaiter().GetResult();
            var wall = clock.Elapsed.TotalSeconds;
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"producer without signatures: {wall * 1e6 / n:F2} us/entry wall, {used * 1e6 / n:F2} cpu-us/entry, {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / n} B/entry allocated, {GC.CollectionCount(0) - gen0} gen0 GCs ({report.Verdict}, {report.EntryCount} entries)");
        }

        return 0;
    }

    public static int Sha()
    {
        var data = new byte[180];
        var dest = new byte[32];
        using var incremental = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        for (var pass = 0; pass < 3; pass++)
        {
            Time("SHA256.HashData 180 B", 300_000, _ => System.Security.Cryptography.SHA256.HashData(data, dest));
            Time("IncrementalHash reuse 180 B", 300_000, _ => { incremental.AppendData(data); return incremental.GetHashAndReset(dest); });
            Time("SHA256.HashData 64 B", 300_000, _ => System.Security.Cryptography.SHA256.HashData(data.AsSpan(0, 64), dest));
            Time("IncrementalHash reuse 64 B", 300_000, _ => { incremental.AppendData(data.AsSpan(0, 64)); return incremental.GetHashAndReset(dest); });
        }

        return 0;
    }

    private static void Time(string name, int n, Func<int, object?> step)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            _ = step(i);
        }

        Console.WriteLine($"{name}: {clock.Elapsed.TotalMicroseconds / n:F2} us");
    }
}
