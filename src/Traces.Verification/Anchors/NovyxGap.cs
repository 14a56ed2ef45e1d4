namespace Traces.Verification.Anchors;

/// <summary>Missing ids between two present checkpoints: the link from <see cref="FromCheckpointId"/> to <see cref="ToCheckpointId"/> cannot be checked.</summary>
/// <param name="FromCheckpointId">The last present id before the gap.</param>
/// <param name="ToCheckpointId">The first present id after the gap.</param>
public sealed record NovyxGap(long FromCheckpointId, long ToCheckpointId)
{
    /// <summary>How many ids are missing.</summary>
    public long MissingCount => ToCheckpointId - FromCheckpointId - 1;
}
