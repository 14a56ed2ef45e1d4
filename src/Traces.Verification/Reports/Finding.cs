namespace Traces.Verification.Reports;

/// <summary>One problem (or note) found during verification, with where it is and what was expected.</summary>
/// <param name="Code">A stable code from <see cref="FindingCodes"/>.</param>
/// <param name="Severity">How it bears on the verdict.</param>
/// <param name="Message">A sentence for people.</param>
public sealed record Finding(string Code, FindingSeverity Severity, string Message)
{
    /// <summary>The entry's index when the finding is about one entry.</summary>
    public long? EntryIndex { get; init; }

    /// <summary>The entry's id when known.</summary>
    public string? EventId { get; init; }

    /// <summary>Where in the document: a JSON Pointer (RFC 6901) such as <c>/events/3/payload_hash</c>.</summary>
    public string? Location { get; init; }

    /// <summary>The value the verifier computed or required.</summary>
    public string? Expected { get; init; }

    /// <summary>The value the document holds.</summary>
    public string? Actual { get; init; }
}
