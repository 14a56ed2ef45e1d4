using Traces.Cli.Infrastructure;
using Traces.Verification.Reports;

namespace Traces.Cli.Verification;

/// <summary>
/// How the checks of a <see cref="VerificationReport"/> read on a terminal and in <c>--json</c>: a short name, a
/// description, and the state the check itself recorded (passed, failed, not run). Nothing here decides a state.
/// </summary>
internal static class Checks
{
    public static string Name(VerificationCheck check) => check switch
    {
        VerificationCheck.Form => "form",
        VerificationCheck.Chain => "chain",
        VerificationCheck.Signatures => "signatures",
        VerificationCheck.Composite => "composite",
        VerificationCheck.Seal => "seal",
        VerificationCheck.Certificate => "certificate",
        VerificationCheck.Inclusion => "inclusion",
        VerificationCheck.Trust => "trust",
        _ => check.ToString().ToLowerInvariant(),
    };

    /// <param name="check">The check.</param>
    /// <param name="detachedEntry">One entry without its neighbours (<c>verify-inclusion</c>): no links, no root.</param>
    public static string Description(VerificationCheck check, bool detachedEntry = false) => check switch
    {
        VerificationCheck.Form => "well-formed traces/v1 document, within limits",
        VerificationCheck.Chain when detachedEntry => "the entry's payload hash and content hash",
        VerificationCheck.Chain => "payload hashes, content hashes, indices, chain links, integrity root",
        VerificationCheck.Signatures when detachedEntry => "the entry's Ed25519 signature and key id",
        VerificationCheck.Signatures => "Ed25519 entry signatures and key ids",
        VerificationCheck.Composite => "Merkle composite hash and event count",
        VerificationCheck.Seal => "seal event commits to this trace",
        VerificationCheck.Certificate => "RSA-PSS certificate: algorithm, key strength, signature, statement",
        VerificationCheck.Inclusion => "inclusion proof leads from the entry to the composite hash",
        VerificationCheck.Trust => "every signer pinned by --trust",
        _ => "",
    };

    /// <summary>The state as <c>--json</c> writes it.</summary>
    public static string State(CheckState state) => state switch
    {
        CheckState.Passed => "passed",
        CheckState.Failed => "failed",
        _ => "not_run",
    };
}

/// <summary>Maps a verdict to the process exit code.</summary>
internal static class VerdictExitCode
{
    public static int Of(Verdict verdict) => verdict switch
    {
        Verdict.Valid => ExitCodes.Valid,
        Verdict.Untrusted => ExitCodes.Untrusted,
        _ => ExitCodes.Invalid,
    };
}
