namespace Traces.Verification.Reports;

/// <summary>How a finding bears on the verdict.</summary>
public enum FindingSeverity
{
    /// <summary>Informative (for example a withheld payload); does not change the verdict.</summary>
    Info,

    /// <summary>A signer is not pinned: the verdict is at best <see cref="Verdict.Untrusted"/>.</summary>
    Trust,

    /// <summary>A check failed: the verdict is <see cref="Verdict.Invalid"/>.</summary>
    Error,
}
