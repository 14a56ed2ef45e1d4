namespace Traces.Client.Http;

/// <summary>
/// Marks a request whose response body is streamed to the caller (a vendor export of up to 100,000 rows): the logging
/// handler then leaves the body unbuffered, so it is never held in memory whole. The mark is the request's type, not
/// an entry in its options, so asking every other request costs nothing.
/// </summary>
internal static class ResponseBuffering
{
    public static bool IsStreamed(HttpRequestMessage? request) => request is StreamedRequestMessage;

    /// <summary>A request whose answer is read as a stream.</summary>
    internal sealed class StreamedRequestMessage(HttpMethod method, Uri? requestUri) : HttpRequestMessage(method, requestUri);
}
