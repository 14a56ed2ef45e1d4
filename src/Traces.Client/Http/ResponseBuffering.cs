namespace Traces.Client.Http;

/// <summary>
/// Marks a request whose response body is streamed to the caller (a vendor export of up to 100,000 rows, a proof read
/// by <c>VerifyOfflineAsync</c> or saved by <c>DownloadProofAsync</c>): the logging handler then leaves the body
/// unbuffered, so it is never held in memory whole. A vendor request is marked by its type; a Refit method by
/// <c>[Property(StreamedKeyName)] bool streamed</c>, which Refit puts in the request's options (which it fills for
/// every request anyway, so looking costs those no allocation).
/// </summary>
internal static class ResponseBuffering
{
    /// <summary>The option's name for a Refit method's <c>[Property]</c> parameter.</summary>
    public const string StreamedKeyName = "Traces.Client.StreamedResponse";

    private static readonly HttpRequestOptionsKey<bool> s_streamedKey = new(StreamedKeyName);

    public static bool IsStreamed(HttpRequestMessage? request) =>
        request is StreamedRequestMessage || (request is not null && request.Options.TryGetValue(s_streamedKey, out var streamed) && streamed);

    /// <summary>A request whose answer is read as a stream.</summary>
    internal sealed class StreamedRequestMessage(HttpMethod method, Uri? requestUri) : HttpRequestMessage(method, requestUri);
}
