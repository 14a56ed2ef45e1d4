using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Signatures;

namespace Traces.Benchmarks;

/// <summary>The baseline: raw NSec Ed25519 verification of distinct pairs, Parallel.For over all cores.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class Ed25519Baseline
{
    private const int Pairs = 10_000;
    private byte[][] _messages = [];
    private byte[][] _signatures = [];
    private PublicKey _key = null!;

    [GlobalSetup]
    public void Setup()
    {
        var records = BenchData.CreateRecords(Pairs);
        _messages = new byte[Pairs][];
        _signatures = new byte[Pairs][];
        for (var i = 0; i < Pairs; i++)
        {
            _messages[i] = SignedMessage.Create(SignatureLabels.Event, Digest.FromBytes(records.AsSpan(i * BenchData.RecordSize + 32, 32)));
            _signatures[i] = records.AsSpan(i * BenchData.RecordSize + 96, 64).ToArray();
        }

        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, TestKeys.Ed25519PublicRaw, KeyBlobFormat.RawPublicKey);
    }

    /// <summary>Per signature (OperationsPerInvoke), all cores.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Pairs)]
    public int RawParallelVerify()
    {
        var ok = 0;
        Parallel.For(0, Pairs, i =>
        {
            if (SignatureAlgorithm.Ed25519.Verify(_key, _messages[i], _signatures[i]))
            {
                Interlocked.Increment(ref ok);
            }
        });
        return ok;
    }
}

/// <summary>The whole verifier over a 100,000-entry bundle streamed from memory.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class VerifyBundleStream
{
    private const int Entries = 100_000;
    private byte[] _bundle = [];
    private BundleVerifier _verifier = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bundle = BenchData.CreateBundleBytes(Entries);
        _verifier = new BundleVerifier(TestKeys.TrustBoth());
    }

    /// <summary>Per entry (OperationsPerInvoke).</summary>
    [Benchmark(OperationsPerInvoke = Entries)]
    public long Verify100k()
    {
        var report = _verifier.VerifyAsync(new MemoryStream(_bundle, writable: false)).GetAwaiter().GetResult();
        return report.IsValid ? report.EntryCount : throw new InvalidOperationException(report.Verdict.ToString());
    }
}

/// <summary>The per-entry hashing steps, single-threaded.</summary>
[MemoryDiagnoser]
public class EntryHashing
{
    private const int Appends = 1024;
    private byte[] _payload = [];
    private Digest _payloadHash;
    private Digest _leaf;
    private readonly MerkleRootAccumulator _merkle = new();

    [GlobalSetup]
    public void Setup()
    {
        _payload = Encoding.UTF8.GetBytes(BenchData.Payload(12_345));
        _payloadHash = Digest.Compute(JsonCanonicalizer.Canonicalize(_payload).Utf8Bytes!);
        _leaf = MerkleTree.LeafHash(_payloadHash.Bytes);
    }

    /// <summary>RFC 8785 canonical form of a typical ~200-byte payload.</summary>
    [Benchmark]
    public int CanonicalizePayload() => JsonCanonicalizer.Canonicalize(_payload).Utf8Bytes!.Length;

    /// <summary>content_hash of an entry (canonical preimage + SHA-256).</summary>
    [Benchmark]
    public Digest ContentHash() => EntryHasher.ComputeContentHash("evt_0012345", "invoice.received", "2026-03-17T15:25:45.012345Z", _payloadHash);

    /// <summary>One RFC 9162 accumulator append (amortised over 1,024).</summary>
    [Benchmark(OperationsPerInvoke = Appends)]
    public long MerkleAppend()
    {
        _merkle.Reset();
        for (var i = 0; i < Appends; i++)
        {
            _merkle.Append(_leaf);
        }

        return _merkle.Count;
    }
}
