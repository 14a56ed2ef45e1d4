using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Pipeline;
using Traces.Verification.Reports;

namespace Traces.Verification.Tests.Bundles;

/// <summary>
/// Issue 9 item 4: a stream that returns one byte per read, and a valid bundle with insignificant whitespace inside
/// one entry, took 4.7 s for 100 KB and 73 s for 400 KB (each byte rescanned the whole unfinished entry). Reading must
/// be linear whatever the chunking. Asserted by counting the reader's work, not by timing (times are in
/// benchmarks/README.md).
/// </summary>
public class LinearReadingTests
{
    private static readonly ProofBundle s_bundle = TestTraceSigner.Default.CreateBundle("tr_linear0001", TestTraceSigner.SampleEntries(3));

    /// <summary>At most this many bytes scanned, and copied, per byte of input (see the reasoning in the test).</summary>
    private const int WorkPerByte = 3;

    [Theory]
    [InlineData(100_000)]
    [InlineData(400_000)]
    [InlineData(900_000)]
    public async Task OneBytePerRead_WhitespaceInsideOneEntry_IsValid_AndTheWorkIsLinear(int whitespace)
    {
        var json = WithWhitespaceInEntry0(whitespace);

        var (report, work) = await ReadAsync(json, new ChunkedStream(json, seed: whitespace, maxChunk: 1));

        Assert.True(report.Verdict == Verdict.Valid, string.Join("; ", report.Findings));
        Assert.Equal(json.Length, work.BytesRead);
        Assert.Equal(json.Length + 1, work.ReadCalls); // one byte per read, then the read that says the stream ended
        // An unfinished value is scanned again only when the bytes waiting have doubled: the attempts on a value of n
        // bytes scan at most 1 + 2 + 4 + … + n < 2n bytes, plus n for the attempt that succeeds; copies are the buffer's
        // doublings (< 2 × the largest value) and one move of the unfinished value per value read. Quadratic rescanning
        // would be ~n²/2: 5 × 10^9 bytes for 100 KB.
        Assert.True(work.BytesScanned <= WorkPerByte * (long)json.Length, $"scanned {work.BytesScanned} bytes for {json.Length}");
        Assert.True(work.BytesCopied <= WorkPerByte * (long)json.Length, $"copied {work.BytesCopied} bytes for {json.Length}");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{json.Length} bytes: {work.ReadCalls} reads, {work.BytesScanned} scanned ({(double)work.BytesScanned / json.Length:F2}/byte), {work.BytesCopied} copied ({(double)work.BytesCopied / json.Length:F2}/byte)");
    }

    [Fact]
    public async Task AnyChunking_GivesTheSameReport_AsTheInMemoryRead()
    {
        var json = WithWhitespaceInEntry0(20_000);
        var expected = new BundleVerifier(TestKeys.TrustBoth()).Verify(json);

        foreach (var maxChunk in new[] { 1, 2, 3, 7, 64, 4096, 70_000 })
        {
            var (report, _) = await ReadAsync(json, new ChunkedStream(json, seed: maxChunk, maxChunk: maxChunk));

            Assert.Equal(expected.Verdict, report.Verdict);
            Assert.Equal(expected.CompositeHash, report.CompositeHash);
            Assert.Equal(expected.EntryCount, report.EntryCount);
        }
    }

    /// <summary>
    /// Whitespace between members is not part of any value: two megabytes of it (twice the value limit) between the
    /// events and the seal event is read in passing, neither held in the buffer nor counted against the value limit.
    /// </summary>
    [Fact]
    public async Task WhitespaceBetweenMembers_LongerThanTheValueLimit_IsNotHeld()
    {
        var json = HostileBytes.InsertBefore(Serialize(), "\"seal_event\""u8, [.. new byte[2 * 1024 * 1024].Select(_ => (byte)'\n')]);

        var (report, work) = await ReadAsync(json, new ChunkedStream(json, seed: 2, maxChunk: 4096));

        Assert.True(report.Verdict == Verdict.Valid, string.Join("; ", report.Findings));
        Assert.True(work.BytesCopied < 64 * 1024, $"copied {work.BytesCopied}");
    }

    private static async Task<(VerificationReport Report, ReaderWork Work)> ReadAsync(byte[] json, Stream stream)
    {
        var options = VerificationOptions.Default;
        using var session = new BundleSession(TestKeys.TrustBoth(), options);
        var reader = new BundleStreamReader(session, options);
        await reader.ReadAsync(stream, TestContext.Current.CancellationToken);
        return (session.Complete(), reader.Work);
    }

    private static byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(s_bundle, TracesJsonContext.Default.ProofBundle);

    /// <summary>The bundle with <paramref name="count"/> bytes of whitespace (spaces, tabs, CR, LF) inside entry 0.</summary>
    internal static byte[] WithWhitespaceInEntry0(int count) => HostileBytes.WithWhitespaceInFirstEntry(Serialize(), count);
}
