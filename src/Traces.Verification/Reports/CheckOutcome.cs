namespace Traces.Verification.Reports;

/// <summary>
/// The state of one check, recorded by the check itself while verifying (not derived from the listed findings, which
/// stop at <see cref="VerificationOptions.MaxFindings"/>), and how many findings of each code failed it.
/// </summary>
public sealed class CheckOutcome
{
    internal CheckOutcome(VerificationCheck check, CheckState state, IReadOnlyList<CodeCount> findingCounts)
    {
        Check = check;
        State = state;
        FindingCounts = findingCounts;
    }

    /// <summary>Which check.</summary>
    public VerificationCheck Check { get; }

    /// <summary>Passed, failed or not run.</summary>
    public CheckState State { get; }

    /// <summary>
    /// The codes of the error and trust findings that failed this check, each with how many there were (counted
    /// beyond the listing limit), in the order of <see cref="FindingCodes"/>. Empty unless <see cref="State"/> is
    /// <see cref="CheckState.Failed"/>.
    /// </summary>
    public IReadOnlyList<CodeCount> FindingCounts { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Check}: {State}";
}

/// <summary>How many findings of one code there were.</summary>
/// <param name="Code">A code of <see cref="FindingCodes"/>.</param>
/// <param name="Count">How many, listed or not.</param>
public sealed record CodeCount(string Code, long Count);
