namespace Traces.Verification.Anchors;

/// <summary>One verdict about a checkpoint or about the chain.</summary>
/// <param name="Code">A <see cref="NovyxFindingCodes"/> value.</param>
/// <param name="CheckpointId">The checkpoint it concerns, when known.</param>
/// <param name="Message">A human-readable explanation.</param>
public sealed record NovyxFinding(string Code, long? CheckpointId, string Message)
{
    /// <summary>False only for <see cref="NovyxFindingCodes.ChainGap"/>: a gap is reported but is not a failure.</summary>
    public bool IsFailure => Code != NovyxFindingCodes.ChainGap;
}
