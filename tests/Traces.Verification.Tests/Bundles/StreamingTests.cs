using System.Globalization;
using System.Text;
using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Reports;

namespace Traces.Verification.Tests.Bundles;

public class StreamingTests
{
    [Fact]
    public async Task VerifyAsync_GeneratedTwentyThousandEntryStream_SmallReads_IsValid()
    {
        const int count = 20_000;
        using var stream = new GeneratedBundleStream("tr_stream0001", count, maxRead: 509);
        var verifier = new BundleVerifier(TestKeys.TrustBoth(), new VerificationOptions { MaxEntryBytes = 4096 });

        var report = await verifier.VerifyAsync(stream, TestContext.Current.CancellationToken);

        Assert.True(report.Verdict == Verdict.Valid, string.Join("; ", report.Findings.Take(5)));
        Assert.Equal(count, report.EntryCount);
        Assert.Equal(stream.CompositeHash, report.CompositeHash);
        Assert.Equal(stream.IntegrityRootHash, report.IntegrityRootHash);
        // The generator never held more than one entry: it produced ~14 MB through a buffer of one entry.
        Assert.True(stream.BytesProduced > count * 500L, $"{stream.BytesProduced} bytes");
    }

    /// <summary>
    /// Emits a valid sealed bundle entry by entry, signing each as it goes, with events first and the members that
    /// depend on all of them (composite, root, seal, certificate) after: memory is one entry, whatever the count.
    /// </summary>
    private sealed class GeneratedBundleStream(string traceId, int count, int maxRead) : Stream
    {
        private readonly MerkleRootAccumulator _merkle = new();
        private byte[] _chunk = Encoding.UTF8.GetBytes(
            $$"""{"version":"traces/v1","trace_id":"{{traceId}}","status":"sealed","sealed_at":"{{TestTraceSigner.TimeOf(count + 1)}}","events":[""");
        private int _chunkOffset;
        private int _next;
        private bool _finished;
        private Digest _chain = Digest.Zero;
        private string? _chainText;

        public string? CompositeHash { get; private set; }

        public string? IntegrityRootHash { get; private set; }

        public long BytesProduced { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesProduced; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_chunkOffset == _chunk.Length)
            {
                if (!NextChunk())
                {
                    return 0;
                }
            }

            var n = Math.Min(Math.Min(buffer.Length, maxRead), _chunk.Length - _chunkOffset);
            _chunk.AsSpan(_chunkOffset, n).CopyTo(buffer);
            _chunkOffset += n;
            BytesProduced += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private bool NextChunk()
        {
            _chunkOffset = 0;
            if (_next < count)
            {
                var index = _next++;
                var entry = TestTraceSigner.Default.SignEntry(index, string.Create(CultureInfo.InvariantCulture, $"evt_{index:D6}"),
                    "agent.step", string.Create(CultureInfo.InvariantCulture, $$"""{"n":{{index}},"tool":"search"}"""),
                    TestTraceSigner.TimeOf(index), _chain, _chainText);
                _chain = Digest.Parse(entry.ChainHash!);
                _chainText = entry.ChainHash;
                _merkle.Append(MerkleTree.LeafHash(Digest.Parse(entry.ContentHash!).Bytes));
                var json = JsonSerializer.SerializeToUtf8Bytes(entry, TracesJsonContext.Default.BundleEntry);
                _chunk = index == 0 ? json : [(byte)',', .. json];
                return true;
            }

            if (_finished)
            {
                return false;
            }

            _finished = true;
            CompositeHash = _merkle.ComputeRoot().ToString();
            IntegrityRootHash = _chain.ToString();
            var sealedAt = TestTraceSigner.TimeOf(count + 1);
            var seal = TestTraceSigner.Default.SealEventFor(traceId, count, CompositeHash, IntegrityRootHash, sealedAt);
            var certificate = TestTraceSigner.Default.Certify(traceId, count, CompositeHash, IntegrityRootHash, seal.EventId!, sealedAt);
            _chunk = Encoding.UTF8.GetBytes(string.Concat(
                $$"""],"composite_hash":"{{CompositeHash}}","integrity_root_hash":"{{IntegrityRootHash}}","event_count":{{count}},"seal_event":""",
                JsonSerializer.Serialize(seal, TracesJsonContext.Default.SealEvent),
                ",\"certificate\":",
                JsonSerializer.Serialize(certificate, TracesJsonContext.Default.TraceCertificate),
                "}"));
            return true;
        }
    }
}
