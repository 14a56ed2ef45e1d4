namespace Traces.Client.Http;

/// <summary>
/// Marks a request whose response body is streamed to the caller (a vendor export of up to 100,000 rows, a proof read
/// by <c>VerifyOfflineAsync</c> or saved by <c>DownloadProofAsync</c>): the logging handler then leaves the body
/// unbuffered, so it is never held in memory whole.
/// </summary>
internal static class ResponseBuffering
{
    /// <summary>The option's name; a Refit method marks its request with <c>[Property(StreamedKeyName)] bool streamed</c>.</summary>
    public const string StreamedKeyName = "Traces.Client.StreamedResponse";

    public static readonly HttpRequestOptionsKey<bool> StreamedKey = new(StreamedKeyName);

    public static void MarkStreamed(HttpRequestMessage request) => request.Options.Set(StreamedKey, true);

    public static bool IsStreamed(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(StreamedKey, out var streamed) && streamed;
}
