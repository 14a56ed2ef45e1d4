namespace Traces.Verification.Reports;

/// <summary>
/// What became of one check. A check is <see cref="Passed"/> only when it ran over everything it covers and found
/// nothing; a check that could not run (or not to the end, for example because the document could not be read) is
/// <see cref="NotRun"/>, never passed.
/// </summary>
public enum CheckState
{
    /// <summary>The check did not run, or did not run to the end, and found nothing on the part it reached.</summary>
    NotRun,

    /// <summary>The check ran over everything it covers and found nothing.</summary>
    Passed,

    /// <summary>At least one finding of this check (error or trust), listed or only counted.</summary>
    Failed,
}
