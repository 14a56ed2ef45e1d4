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
    private BundleVerifier? _verifier;

    public async Task<VerifyResponse> VerifyAsync(ProofBundle bundle, CancellationToken ct)
    {
        // Built at the first /verify, not at start: the trust policy needs the certificate key, which a server that has
        // just started may still be generating (a sealed trace means it is ready).
        _verifier ??= new BundleVerifier(TrustPolicy.FromPublishedKeys(await keys.ToPublishedKeySetAsync(ct)));
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

    /// <summary>
    /// The answer when the stored rows cannot even be assembled into a bundle (a record edited into something that is
    /// not JSON): a <c>malformed</c> finding, as the offline verifier reports unreadable input, rather than a 500.
    /// </summary>
    public VerifyResponse Unreadable(string traceId, string reason) => new(
        TraceId: traceId,
        Valid: false,
        Verdict: Verdict.Invalid.ToString().ToLowerInvariant(),
        ChainValid: false,
        SignatureValid: false,
        CompositeValid: false,
        EventCount: 0,
        Discrepancies: [new Discrepancy(FindingCodes.Malformed, $"The stored trace cannot be read as a bundle: {reason}", null, null)],
        FirstInvalidEvent: null,
        VerifiedAt: TraceTimestamp.ToCanonicalString(time.GetUtcNow()));
}
