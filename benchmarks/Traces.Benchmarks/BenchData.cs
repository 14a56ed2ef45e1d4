using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Signatures;

namespace Traces.Benchmarks;

/// <summary>
/// Deterministic benchmark traces. Entry i has a ~200-byte invoice-like payload derived from i, so only the four
/// digests/signature of each entry (160 bytes) must be stored; the JSON is regenerated on the fly. Signing is the
/// expensive part (an Ed25519 signature per entry): content hashes do not depend on the chain, so signatures are made
/// in parallel and only the chain link is computed sequentially.
/// </summary>
internal static class BenchData
{
    public const int RecordSize = 32 + 32 + 32 + 64; // payload_hash, content_hash, chain_hash, signature
    public const string TraceId = "trc_bench";
    private const string FormatTag = "v1";

    private static readonly string[] s_types = ["invoice.received", "document.anchored", "ai.attestation", "agent.step", "payment.authorized"];
    private static readonly string[] s_vendors = ["Acme Supplies Ltd", "Globex Corporation", "Initech GmbH", "Umbrella Logistics", "Stark Industrial"];

    public static string EventId(long i) => "evt_" + i.ToString("D7", CultureInfo.InvariantCulture);

    public static string EventType(long i) => s_types[i % s_types.Length];

    /// <summary>A realistic ~200-byte payload (not in canonical form: the verifier canonicalizes it).</summary>
    public static string Payload(long i)
    {
        var amount = (i * 7919 % 9_999_900 + 100) / 100.0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"invoice_id\":\"INV-{i:D8}\",\"vendor\":{{\"name\":\"{s_vendors[i % s_vendors.Length]}\",\"country\":\"DE\"}},\"amount\":{amount},\"currency\":\"EUR\",\"lines\":[{{\"sku\":\"SKU-{i % 977:D4}\",\"qty\":{i % 9 + 1}}}],\"approved\":{(i % 3 == 0 ? "true" : "false")},\"note\":\"received via portal, batch {i / 1000}\"}}");
    }

    /// <summary>The signed records of an n-entry trace, in memory (small n).</summary>
    public static byte[] CreateRecords(int n)
    {
        var records = new byte[(long)n * RecordSize];
        Fill(records, 0, n);
        return records;
    }

    /// <summary>
    /// The record file of an n-entry trace in the temp folder, created (and signed) once and reused by later runs.
    /// Returns the path; header and trailer JSON sit beside it.
    /// </summary>
    public static string EnsureRecordFile(int n, TextWriter log)
    {
        var path = Path.Combine(Path.GetTempPath(), $"traces-bench-{FormatTag}-{n}.records");
        if (File.Exists(path) && new FileInfo(path).Length == (long)n * RecordSize && File.Exists(path + ".head") && File.Exists(path + ".tail"))
        {
            log.WriteLine($"# reusing signed records {path}");
            return path;
        }

        log.WriteLine($"# signing {n:N0} entries into {path} (once; cached for later runs) ...");
        var started = System.Diagnostics.Stopwatch.StartNew();
        const int chunk = 65_536;
        var buffer = new byte[chunk * RecordSize];
        var previous = Digest.Zero;
        var merkle = new MerkleRootAccumulator();
        using (var file = new FileStream(path + ".tmp", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (var start = 0; start < n; start += chunk)
            {
                var count = Math.Min(chunk, n - start);
                FillUnchained(buffer, start, count);
                Chain(buffer, count, ref previous, merkle);
                file.Write(buffer, 0, count * RecordSize);
            }
        }

        var (head, tail) = Envelope(n, merkle.ComputeRoot(), previous);
        File.WriteAllBytes(path + ".head", head);
        File.WriteAllBytes(path + ".tail", tail);
        File.Move(path + ".tmp", path, overwrite: true);
        log.WriteLine($"# signed in {started.Elapsed.TotalSeconds:F1} s");
        return path;
    }

    /// <summary>The whole bundle JSON of an n-entry trace (in memory).</summary>
    public static byte[] CreateBundleBytes(int n)
    {
        var records = CreateRecords(n);
        var (head, tail) = EnvelopeFor(records, n);
        using var stream = new GeneratedBundleStream(head, tail, n, new MemoryRecordSource(records));
        var output = new MemoryStream(n * 900);
        stream.CopyTo(output);
        return output.ToArray();
    }

    public static (byte[] Head, byte[] Tail) EnvelopeFor(byte[] records, int n)
    {
        var merkle = new MerkleRootAccumulator();
        for (var i = 0; i < n; i++)
        {
            merkle.Append(MerkleTree.LeafHash(records.AsSpan(i * RecordSize + 32, 32)));
        }

        return Envelope(n, merkle.ComputeRoot(), Digest.FromBytes(records.AsSpan((n - 1) * RecordSize + 64, 32)));
    }

    private static void Fill(byte[] records, int start, int count)
    {
        FillUnchained(records, start, count);
        var previous = Digest.Zero;
        Chain(records, count, ref previous, null);
    }

    /// <summary>Payload hash, content hash and signature of entries [start, start+count), in parallel.</summary>
    private static void FillUnchained(byte[] buffer, int start, int count)
    {
        var key = TestKeys.Ed25519;
        Parallel.For(0, count, j =>
        {
            long i = start + j;
            var record = buffer.AsSpan(j * RecordSize, RecordSize);
            var canonical = JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(Payload(i)));
            var payloadHash = Digest.Compute(canonical.Utf8Bytes!);
            var content = EntryHasher.ComputeContentHash(EventId(i), EventType(i), TestTraceSigner.TimeOf(i), payloadHash);
            payloadHash.Bytes.CopyTo(record);
            content.Bytes.CopyTo(record[32..]);
            SignatureAlgorithm.Ed25519.Sign(key, SignedMessage.Create(SignatureLabels.Event, content), record[96..]);
        });
    }

    private static void Chain(byte[] buffer, int count, ref Digest previous, MerkleRootAccumulator? merkle)
    {
        for (var j = 0; j < count; j++)
        {
            var content = Digest.FromBytes(buffer.AsSpan(j * RecordSize + 32, 32));
            previous = HashChain.Next(previous, content);
            previous.Bytes.CopyTo(buffer.AsSpan(j * RecordSize + 64, 32));
            merkle?.Append(MerkleTree.LeafHash(content.Bytes));
        }
    }

    /// <summary>The bundle's JSON before and after the entries of <c>events</c>: top-level members, seal, certificate.</summary>
    private static (byte[] Head, byte[] Tail) Envelope(int n, Digest composite, Digest root)
    {
        var signer = TestTraceSigner.Default;
        var sealedAt = TestTraceSigner.TimeOf(n + 1);
        var seal = signer.SealEventFor(TraceId, n, composite.ToString(), root.ToString(), sealedAt);
        var bundle = new ProofBundle
        {
            Version = EntryHasher.FormatVersion,
            TraceId = TraceId,
            Label = "Benchmark trace",
            TenantDomain = "acme.example",
            Status = "sealed",
            CreatedAt = TestTraceSigner.TimeOf(0),
            SealedAt = sealedAt,
            CompositeHash = composite.ToString(),
            IntegrityRootHash = root.ToString(),
            EventCount = n,
            Events = [],
            SealEvent = seal,
            Certificate = signer.Certify(TraceId, n, composite.ToString(), root.ToString(), seal.EventId!, sealedAt),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);
        var marker = "\"events\":["u8;
        var at = json.AsSpan().IndexOf(marker) + marker.Length;
        return (json[..at], json[at..]);
    }

    /// <summary>Writes entry i's JSON into <paramref name="output"/>.</summary>
    public static void WriteEntry(IBufferWriter<byte> output, long i, ReadOnlySpan<byte> record, ReadOnlySpan<byte> previousChain, string keyId, string? publicKey)
    {
        // Built as text: a fixed member order like a service would export, payload as generated (not canonical).
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{{\"index\":{i},\"event_id\":\"{EventId(i)}\",\"event_type\":\"{EventType(i)}\",\"payload\":{Payload(i)},\"payload_hash\":\"sha256:{Convert.ToHexStringLower(record[..32])}\",\"content_hash\":\"sha256:{Convert.ToHexStringLower(record.Slice(32, 32))}\",\"previous_chain_hash\":{(i == 0 ? "null" : "\"sha256:" + Convert.ToHexStringLower(previousChain) + "\"")},\"chain_hash\":\"sha256:{Convert.ToHexStringLower(record.Slice(64, 32))}\",\"ingested_at\":\"{TestTraceSigner.TimeOf(i)}\",\"key_id\":\"{keyId}\",{(publicKey is null ? "" : "\"public_key\":\"" + publicKey + "\",")}\"signature\":\"ed25519:{Convert.ToHexStringLower(record.Slice(96, 64))}\"}}");
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}

/// <summary>Where the generator gets entry i's record.</summary>
internal interface IRecordSource : IDisposable
{
    /// <summary>Reads the next record (entries are read in order).</summary>
    void ReadNext(Span<byte> record);
}

internal sealed class MemoryRecordSource(byte[] records) : IRecordSource
{
    private int _offset;

    public void ReadNext(Span<byte> record)
    {
        records.AsSpan(_offset, BenchData.RecordSize).CopyTo(record);
        _offset += BenchData.RecordSize;
    }

    public void Dispose()
    {
    }
}

internal sealed class FileRecordSource(string path) : IRecordSource
{
    private readonly FileStream _file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);

    public void ReadNext(Span<byte> record) => _file.ReadExactly(record);

    public void Dispose() => _file.Dispose();
}

/// <summary>
/// A read-only stream that produces a bundle's JSON on the fly, entry by entry, from stored records: the bundle is
/// never held in memory. Reads complete synchronously (ReadAsync included), as a memory or page-cached file would.
/// </summary>
internal sealed class GeneratedBundleStream : Stream
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly long _count;
    private readonly IRecordSource _records;
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private readonly byte[] _record = new byte[BenchData.RecordSize];
    private readonly byte[] _previousChain = new byte[32];
    private readonly string _keyId = TestKeys.Ed25519KeyId;
    private readonly string _publicKey = WireEncoding.FormatEd25519PublicKey(TestKeys.Ed25519PublicRaw);
    private readonly bool _carryPublicKey;
    private int _pendingOffset;
    private long _next = -1; // -1: head not written yet
    private bool _done;

    public GeneratedBundleStream(byte[] head, byte[] tail, long count, IRecordSource records, bool carryPublicKey = true)
    {
        _carryPublicKey = carryPublicKey;
        _head = head;
        _tail = tail;
        _count = count;
        _records = records;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_pendingOffset == _pending.WrittenCount)
            {
                if (!Produce())
                {
                    break;
                }
            }

            var available = _pending.WrittenSpan[_pendingOffset..];
            var take = Math.Min(available.Length, buffer.Length - written);
            available[..take].CopyTo(buffer[written..]);
            written += take;
            _pendingOffset += take;
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    private bool Produce()
    {
        _pending.ResetWrittenCount();
        _pendingOffset = 0;
        if (_done)
        {
            return false;
        }

        if (_next < 0)
        {
            _pending.Write(_head);
            _next = 0;
            return true;
        }

        if (_next == _count)
        {
            _pending.Write(_tail);
            _done = true;
            return true;
        }

        // A few entries at a time keeps the pending buffer small.
        for (var k = 0; k < 8 && _next < _count; k++, _next++)
        {
            if (_next > 0)
            {
                _pending.Write(","u8);
            }

            _records.ReadNext(_record);
            BenchData.WriteEntry(_pending, _next, _record, _previousChain, _keyId, _carryPublicKey ? _publicKey : null);
            _record.AsSpan(64, 32).CopyTo(_previousChain);
        }

        return true;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _records.Dispose();
        }

        base.Dispose(disposing);
    }
}
