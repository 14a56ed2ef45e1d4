using System.IO.Pipelines;
using System.Text.Json;
using Traces.LocalServer.Api;
using Traces.LocalServer.Signing;
using Traces.LocalServer.Storage;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Sealing;

/// <summary>
/// The check behind the proof's <c>verification</c> member (docs/api.md, proof; proof-format §9.5): when it seals, the
/// server runs the offline verifier (<see cref="BundleVerifier"/>, no second implementation) over the bundle it is
/// about to commit, the stored entries as they are then, under its own published keys, and records two flags. Run
/// once, here, because re-verifying every signature at each download would cost about 50 µs of CPU per entry.
/// The bundle is streamed to the verifier through a pipe, serialized as <c>GET /proof</c> serializes it, while the
/// entries are read a page at a time: memory stays flat whatever the size of the trace.
/// </summary>
internal static class SealCheck
{
    /// <summary>
    /// The verifier's limits for the server's own entries: a stored payload (at most 256 KiB of canonical JSON) can grow
    /// to 6 times that when serialized with escapes, which the default 1 MiB value limit would refuse; and a trace the
    /// server accepted is never too long or too large for its own check (the defaults guard against hostile input).
    /// </summary>
    private static readonly VerificationOptions s_options = new()
    {
        MaxEntryBytes = 16 * 1024 * 1024,
        MaxEntries = long.MaxValue,
        MaxBundleBytes = long.MaxValue,
    };

    /// <summary>
    /// <c>composite_hash_valid</c>: the composite recomputed from the entries' own fields is the sealed one, with the
    /// count, and every payload hashes to its payload hash (the verifier's composite check alone builds on the stated
    /// payload hashes, §10.1 step 2.2, so an edited payload would pass it); <c>all_signatures_valid</c>: every entry's and the seal event's Ed25519 signature
    /// was checked and verifies, each under the server's published key. Each is true only when its check ran and passed.
    /// </summary>
    /// <param name="keys">The server's keys: the check trusts exactly the ones it publishes.</param>
    /// <param name="envelope">The bundle to be committed, with an empty <c>events</c> array.</param>
    /// <param name="entries">The stored entries, in order, a page at a time.</param>
    /// <param name="ct">Cancels the check.</param>
    public static async Task<SealCheckResult> RunAsync(ServerKeys keys, ProofBundle envelope, IAsyncEnumerable<IReadOnlyList<EntryRecord>> entries,
        CancellationToken ct)
    {
        var trust = TrustPolicy.FromPublishedKeys(await keys.ToPublishedKeySetAsync(ct));
        var (head, tail) = BundleAssembler.AroundEvents(envelope);
        var pipe = new Pipe();
        var unreadable = false;
        Exception? writeFailure = null;
        var writing = Task.Run(async () =>
        {
            try
            {
                await StreamedJson.WriteAsync(pipe.Writer, head, _ => tail, entries, record =>
                {
                    try
                    {
                        return BundleAssembler.ToBundleEntry(record);
                    }
                    catch (JsonException)
                    {
                        // A stored payload that is not JSON (a row edited behind the server's back): no bundle entry
                        // can be made of it, so the check cannot run, and neither flag is true. The seal goes on.
                        unreadable = true;
                        throw;
                    }
                }, BundleAssembler.EntryType, BundleAssembler.EntryDepth, ct);
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                writeFailure = e;
                await pipe.Writer.CompleteAsync(e); // the verifier's next read throws it
            }
        }, CancellationToken.None);

        VerificationReport? report = null;
        Exception? readFailure = null;
        try
        {
            await using var stream = pipe.Reader.AsStream();
            report = await new BundleVerifier(trust, s_options).VerifyAsync(stream, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            readFailure = e;
        }
        finally
        {
            await pipe.Reader.CompleteAsync(); // a writer still going stops at its next flush
            await writing;
        }

        if (unreadable)
        {
            return new SealCheckResult(CompositeHashValid: false, AllSignaturesValid: false);
        }

        // Storage failed under the check (whatever the verifier made of the cut-off stream): the seal's retry handles it.
        if ((writeFailure ?? readFailure) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return new SealCheckResult(
            CompositeHashValid: report!.CompositeValid && !report.Has(FindingCodes.PayloadHashMismatch),
            AllSignaturesValid: report.SignaturesValid && !report.Has(FindingCodes.UntrustedKey));
    }
}
