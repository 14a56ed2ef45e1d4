namespace Traces.Verification.Signatures;

/// <summary>
/// Domain-separation labels of the traces/v1 format. A signature made under one label never verifies under another,
/// so an event signature cannot be replayed as a certificate signature (see <see cref="SignedMessage"/>).
/// </summary>
public static class SignatureLabels
{
    /// <summary>The label of an event signature.</summary>
    public const string Event = "traces/v1/event";

    /// <summary>The label of a certificate signature.</summary>
    public const string Certificate = "traces/v1/certificate";
}
