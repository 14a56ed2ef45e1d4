namespace Traces.LocalServer.Sealing;

/// <summary>
/// A seal that cannot succeed however often it is tried, with the code the trace's <c>error</c> reports (docs/api.md
/// seal).
/// </summary>
internal sealed class SealFailedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
