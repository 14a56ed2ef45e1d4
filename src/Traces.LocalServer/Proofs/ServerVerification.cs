using Traces.LocalServer.Api;
using Traces.LocalServer.Signing;
using Traces.Verification.Bundles;

namespace Traces.LocalServer.Proofs;

/// <summary>
/// <c>POST /verify</c>: runs the Traces.Verification bundle verifier under a trust policy pinned to the server's own
/// published keys. TEMPORARY stub until the verifier is merged into main.
/// </summary>
internal sealed class ServerVerification(ServerKeys keys, TimeProvider time)
{
    public VerifyResponse Verify(ProofBundle bundle)
    {
        _ = keys;
        _ = time;
        _ = bundle;
        throw new NotSupportedException("The bundle verifier is not merged yet.");
    }
}
