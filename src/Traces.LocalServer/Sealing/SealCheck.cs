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
/// </summary>
internal static class SealCheck
{
    /// <summary>
    /// The verifier's limits for the server's own entries: a stored payload (at most 256 KiB of canonical JSON) can grow
    /// to 6 times that when serialized with escapes, which the default 1 MiB value limit would refuse.
    /// </summary>
    private static readonly VerificationOptions s_options = new() { MaxEntryBytes = 16 * 1024 * 1024 };

    /// <summary>
    /// <c>composite_hash_valid</c>: the composite recomputed from the entries' own fields is the sealed one, with the
    /// count, and every payload hashes to its payload hash (the verifier's composite check alone builds on the stated
    /// payload hashes, §10.1 step 2.2, so an edited payload would pass it); <c>all_signatures_valid</c>: every entry's and the seal event's Ed25519 signature
    /// was checked and verifies, each under the server's published key. Each is true only when its check ran and passed.
    /// </summary>
    public static async Task<SealCheckResult> RunAsync(ServerKeys keys, ProofBundle sealing, CancellationToken ct)
    {
        var trust = TrustPolicy.FromPublishedKeys(await keys.ToPublishedKeySetAsync(ct));
        VerificationReport report;
        try
        {
            report = new BundleVerifier(trust, s_options).Verify(sealing);
        }
        catch (System.Text.Json.JsonException)
        {
            // A stored payload that is not JSON (a row edited behind the server's back): no bundle entry can be made of
            // it, so the check cannot run, and neither flag is true. The seal itself goes on, as it always did.
            return new SealCheckResult(CompositeHashValid: false, AllSignaturesValid: false);
        }

        return new SealCheckResult(
            CompositeHashValid: report.CompositeValid && !report.Has(FindingCodes.PayloadHashMismatch),
            AllSignaturesValid: report.SignaturesValid && !report.Has(FindingCodes.UntrustedKey));
    }
}
