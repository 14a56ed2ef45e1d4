using System.Text.Json;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Pipeline;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;

namespace Traces.Verification.Tests.Pipeline;

/// <summary>
/// Tests that count the process's live signature workers: they run alone (no other verification at the same time),
/// so <see cref="SignatureWorkers.Running"/> is exactly the workers these calls left behind.
/// </summary>
[CollectionDefinition(nameof(WorkerCountingCollection), DisableParallelization = true)]
public sealed class WorkerCountingCollection;

/// <summary>
/// Issue 9 item 1: with 256 entries or more the signatures are checked on worker threads. However the read ends
/// (invalid input, the caller's cancellation, the caller's own callback throwing, a worker failing), every worker ends
/// inside the call and every error is observed: before the fix each of these aborted the process (exit 134) or left
/// threads running.
/// </summary>
[Collection(nameof(WorkerCountingCollection))]
public class SignatureWorkerLifetimeTests
{
    private static readonly Lazy<byte[]> s_sixThousand = new(() => JsonSerializer.SerializeToUtf8Bytes(
        TestTraceSigner.Default.CreateBundle("tr_workers6000", TestTraceSigner.SampleEntries(6000)), TracesJsonContext.Default.ProofBundle));

    private static readonly BundleVerifier s_verifier = new(TestKeys.TrustBoth(), new VerificationOptions { MaxDegreeOfParallelism = 2 });

    [Fact]
    public async Task Verify_300EntryBundleWithInvalidUtf8InAMemberName_IsMalformed_AndNoWorkerOutlivesTheCall()
    {
        var bundle = TestTraceSigner.Default.CreateBundle("tr_hostile0300", TestTraceSigner.SampleEntries(300));
        var json = JsonSerializer.SerializeToUtf8Bytes(bundle, TracesJsonContext.Default.ProofBundle);
        // After the 300 entries (a full batch of 256 has started the workers): a member whose name is the byte FF.
        var hostile = HostileBytes.InsertBefore(json, "\"seal_event\""u8, [(byte)'"', 0xFF, .. "\":1,"u8]);

        var inMemory = s_verifier.Verify(hostile);
        Assert.Equal(0, SignatureWorkers.Running);
        var streamed = await s_verifier.VerifyAsync(new ChunkedStream(hostile, seed: 300, maxChunk: 97), TestContext.Current.CancellationToken);
        Assert.Equal(0, SignatureWorkers.Running);

        foreach (var report in new[] { inMemory, streamed })
        {
            Assert.Equal(Verdict.Invalid, report.Verdict);
            Assert.Equal([FindingCodes.Malformed], HostileBytes.Codes(report));
            Assert.Equal(300, report.EntryCount);
            Assert.Contains("UTF-8", report.Findings.Single().Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task VerifyAsync_Cancelled6000EntryVerification_ThrowsForTheCallersToken_AndNoWorkerOutlivesTheCall()
    {
        var json = s_sixThousand.Value;
        // Ten runs, cancelled at ten different points of the stream (the 10 runs: 7 crashes, 3 with leftover threads).
        for (var run = 1; run <= 10; run++)
        {
            using var cancellation = new CancellationTokenSource();
            var stream = new ChunkedStream(json, seed: run, maxChunk: 8192) { CancelAt = json.Length * run / 11, Cancellation = cancellation };

            var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s_verifier.VerifyAsync(stream, cancellation.Token));

            Assert.Equal(cancellation.Token, exception.CancellationToken);
            Assert.Equal(0, SignatureWorkers.Running);
        }
    }

    [Fact]
    public async Task VerifyAsync_WhenTheCallersProgressCallbackThrows_ThatExceptionIsTheResult_AndNoWorkerOutlivesTheCall()
    {
        var verifier = new BundleVerifier(TestKeys.TrustBoth(), new VerificationOptions
        {
            MaxDegreeOfParallelism = 2,
            Progress = new ThrowingProgress(),
        });

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            verifier.VerifyAsync(new MemoryStream(s_sixThousand.Value), TestContext.Current.CancellationToken));

        Assert.Equal(ThrowingProgress.Message, exception.Message);
        Assert.Equal(0, SignatureWorkers.Running);
    }

    [Fact]
    public void Workers_WhenACheckThrowsOnAWorker_TheFailureIsRethrownToTheCaller_AndEveryWorkerEnds()
    {
        Assert.True(Ed25519PublicKey.TryImport(TestKeys.Ed25519PublicRaw, out var key));
        var calls = 0;
        var report = new ReportBuilder(1000);
        var workers = new SignatureWorkers(report, 2, (_, _, _) =>
            Interlocked.Increment(ref calls) == 700 ? throw new InvalidOperationException("check failed") : true);
        var message = new byte[SignatureWorkers.MessageLength];
        var signature = new byte[64];

        var exception = Assert.Throws<InvalidOperationException>(() =>
        {
            // 40 batches: far more than the bounded queue holds, so the failure reaches the reader while it is adding.
            for (var i = 0; i < 40 * 256; i++)
            {
                workers.Add(i, null, message, signature, key!);
            }

            workers.Complete();
        });
        workers.Dispose();

        Assert.Equal("check failed", exception.Message);
        Assert.Equal(0, SignatureWorkers.Running);
    }

    [Fact]
    public void Workers_DisposedWithoutComplete_StopAndJoin()
    {
        Assert.True(Ed25519PublicKey.TryImport(TestKeys.Ed25519PublicRaw, out var key));
        var report = new ReportBuilder(1000);
        var workers = new SignatureWorkers(report, 2);
        var message = new byte[SignatureWorkers.MessageLength];
        var signature = new byte[64];
        for (var i = 0; i < 6 * 256; i++)
        {
            workers.Add(i, null, message, signature, key!);
        }

        Assert.True(SignatureWorkers.Running > 0);
        workers.Dispose();

        Assert.Equal(0, SignatureWorkers.Running);
    }

    private sealed class ThrowingProgress : IProgress<long>
    {
        public const string Message = "the caller's progress bar failed";

        public void Report(long value) => throw new InvalidOperationException(Message);
    }
}
