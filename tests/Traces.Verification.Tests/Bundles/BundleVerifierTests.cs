using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification.Tests.Bundles;

public class BundleVerifierTests
{
    private static readonly ProofBundle s_bundle = TestTraceSigner.Default.CreateBundle("tr_test0001", TestTraceSigner.SampleEntries(37));

    [Fact]
    public void Verify_ValidBundleUnderPinnedKeys_IsValid()
    {
        var report = new BundleVerifier(TestKeys.TrustBoth()).Verify(s_bundle);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.Findings);
        Assert.Equal(37, report.EntryCount);
        Assert.Equal(s_bundle.CompositeHash, report.CompositeHash);
        Assert.Equal(s_bundle.IntegrityRootHash, report.IntegrityRootHash);
        Assert.Equal([TestKeys.Ed25519KeyId, TestKeys.RsaKeyId], report.TrustedKeyIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_SerializedBundle_GivesTheSameReportAsTheTypedPath()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(s_bundle, TracesJsonContext.Default.ProofBundle);
        var verifier = new BundleVerifier(TestKeys.TrustBoth(), new VerificationOptions { MaxEntryBytes = 4096 });

        // A stream that hands out 7 bytes at a time exercises every buffer boundary of the reader.
        var report = await verifier.VerifyAsync(new TrickleStream(json, 7), TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(37, report.EntryCount);
        Assert.Equal(s_bundle.CompositeHash, report.CompositeHash);
        Assert.Equal(Verdict.Valid, verifier.Verify(json).Verdict);
    }

    [Fact]
    public void Verify_WithoutTrust_IsUntrustedNeverValid()
    {
        var report = new BundleVerifier(TrustPolicy.None).Verify(s_bundle);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        // One finding for the 37 entries (aggregated per key), one for the seal event, one for the certificate.
        Assert.Equal(["/events/0/key_id", "/seal_event/key_id", "/certificate/key_id"],
            report.Findings.Where(f => f.Code == FindingCodes.UntrustedKey).Select(f => f.Location));
        Assert.DoesNotContain(report.Findings, f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void Verify_KeyIdPinsOnly_IsValid()
    {
        var trust = TrustPolicy.CreateBuilder().AddKeyId(TestKeys.Ed25519KeyId).AddKeyId(TestKeys.RsaKeyId).Build();
        Assert.Equal(Verdict.Valid, new BundleVerifier(trust).Verify(s_bundle).Verdict);
    }

    [Fact]
    public void Verify_TruncatedJson_IsMalformedNotAnException()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(s_bundle, TracesJsonContext.Default.ProofBundle);
        var report = new BundleVerifier(TestKeys.TrustBoth()).Verify(json.AsMemory(0, json.Length / 2));

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.Malformed);
        Assert.True(report.Has(FindingCodes.Malformed));
        Assert.False(report.Has(FindingCodes.SignatureInvalid));
    }

    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(chunk, buffer.Length)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
