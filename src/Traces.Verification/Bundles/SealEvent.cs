namespace Traces.Verification.Bundles;

/// <summary>
/// The seal event (proof-format §7.1): an entry of type <c>trace.sealed</c> whose payload commits to the trace id,
/// entry count, composite hash and integrity root hash. Signed like any entry, outside the chain and the tree.
/// </summary>
public sealed class SealEvent : SignedEntry
{
    /// <summary>The <c>event_type</c> of every seal event.</summary>
    public const string Type = "trace.sealed";
}
