using Traces.LocalServer.Api;
using Traces.LocalServer.Signing;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Proofs;

/// <summary>
/// <c>POST /verify</c>: runs the Traces.Verification <see cref="BundleVerifier"/> over the stored bundle under a
/// trust policy pinned to the server's own published keys, and maps its report to the Novyx-shaped answer of
/// docs/api.md. There is deliberately no second implementation of any check here.
/// </summary>
internal sealed class ServerVerification(ServerKeys keys, TimeProvider time)
{
    private readonly BundleVerifier _verifier = new(TrustPolicy.FromPublishedKeys(keys.ToPublishedKeySet()));

    public VerifyResponse Verify(ProofBundle bundle)
    {
        var report = _verifier.Verify(bundle);
        return new VerifyResponse(
            TraceId: bundle.TraceId ?? "",
            Valid: report.Verdict == Verdict.Valid,
            Verdict: report.Verdict.ToString().ToLowerInvariant(),
            ChainValid: report.ChainValid,
            SignatureValid: report.SignaturesValid,
            CompositeValid: report.CompositeValid,
            EventCount: report.EntryCount,
            Discrepancies: [.. report.Findings.Select(f => new Discrepancy(f.Code, f.Message, f.EntryIndex, f.EventId))],
            FirstInvalidEvent: report.FirstInvalidEntry is { } first ? new FirstInvalidEvent(first.EntryIndex, first.EventId) : null,
            VerifiedAt: TraceTimestamp.ToCanonicalString(time.GetUtcNow()));
    }
}
