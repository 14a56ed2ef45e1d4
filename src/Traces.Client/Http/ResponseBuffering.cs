namespace Traces.Client.Http;

/// <summary>
/// Marks a request whose response body is streamed to the caller (a vendor export of up to 100,000 rows): the logging
/// handler then leaves the body unbuffered, so it is never held in memory whole.
/// </summary>
internal static class ResponseBuffering
{
    public static readonly HttpRequestOptionsKey<bool> StreamedKey = new("Traces.Client.StreamedResponse");

    public static void MarkStreamed(HttpRequestMessage request) => request.Options.Set(StreamedKey, true);

    public static bool IsStreamed(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(StreamedKey, out var streamed) && streamed;
}
