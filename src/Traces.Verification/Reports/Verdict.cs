namespace Traces.Verification.Reports;

/// <summary>The outcome of a verification (proof-format §10.3).</summary>
public enum Verdict
{
    /// <summary>Every check passed and every signer is pinned by the caller's trust policy.</summary>
    Valid,

    /// <summary>
    /// Internally consistent, but at least one signer is not pinned (or no trust was given). Never a kind of valid:
    /// the math holds for keys nobody vouched for.
    /// </summary>
    Untrusted,

    /// <summary>At least one check failed, or the input could not be read.</summary>
    Invalid,
}
