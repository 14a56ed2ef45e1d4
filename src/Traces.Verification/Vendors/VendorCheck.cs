using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>One check of a vendor document, with what it covers or why it did not run.</summary>
/// <param name="Name">A stable name from <see cref="VendorCheckNames"/>.</param>
/// <param name="State">Passed only when it ran over everything it covers and found nothing.</param>
/// <param name="Detail">What the check covers, or why it could not run (for example: the vendor does not publish the formula).</param>
public sealed record VendorCheck(string Name, CheckState State, string Detail)
{
    /// <summary>
    /// The codes of the error and trust findings that failed this check, each with how many there were (counted beyond
    /// the listing limit). Empty unless <see cref="State"/> is <see cref="CheckState.Failed"/>.
    /// </summary>
    public IReadOnlyList<CodeCount> FindingCounts { get; init; } = [];
}
