namespace Traces.Client.Http;

/// <summary>
/// Marks a request whose response body is streamed to the caller (a vendor export of up to 100,000 rows, a proof read
/// by <c>VerifyOfflineAsync</c> or saved by <c>DownloadProofAsync</c>): the client's handler then leaves the body
/// unbuffered, so it is never held in memory whole. A request the client builds itself is a
/// <see cref="ClientRequestMessage"/> that says so; a Refit method says so with
/// <c>[Property(StreamedKeyName)] bool streamed</c>, which Refit puts in the request's options (which it fills for
/// every request anyway, so looking costs those no allocation).
/// </summary>
internal static class ResponseBuffering
{
    /// <summary>The option's name for a Refit method's <c>[Property]</c> parameter.</summary>
    public const string StreamedKeyName = "Traces.Client.StreamedResponse";

    private static readonly HttpRequestOptionsKey<bool> s_streamedKey = new(StreamedKeyName);

    /// <remarks>A <see cref="ClientRequestMessage"/> answers from its field: its options dictionary, created on first use, is never touched.</remarks>
    public static bool IsStreamed(HttpRequestMessage? request) => request switch
    {
        ClientRequestMessage own => own.Streamed,
        null => false,
        _ => request.Options.TryGetValue(s_streamedKey, out var streamed) && streamed,
    };
}

/// <summary>
/// A request the client builds itself (not through Refit): it carries what the handlers would otherwise work out on
/// every attempt — whether its answer is streamed, and the path to log, which would otherwise be parsed out of the
/// absolute URI (<see cref="Uri.AbsolutePath"/> allocates the URI's parsed parts on first use).
/// </summary>
internal sealed class ClientRequestMessage : HttpRequestMessage
{
    /// <param name="method">The method.</param>
    /// <param name="requestUri">The URI, relative to the client's base address or absolute.</param>
    /// <param name="path">
    /// The URI's path without the query, as sent: escaped data strings and constants, so the URI does not change it,
    /// unless it has a dot segment (<c>/../</c>, RFC 3986 §5.2.4), which the URI removes: then the handlers read the
    /// path from the URI.
    /// </param>
    /// <param name="streamed">Whether the answer's body is read as a stream (never buffered whole).</param>
    public ClientRequestMessage(HttpMethod method, Uri? requestUri, string? path, bool streamed)
        : base(method, requestUri)
    {
        LogPath = path is not null && !path.Contains("/.", StringComparison.Ordinal) ? path : null;
        Streamed = streamed;
    }

    /// <summary>The path as the URI sends it, or <c>null</c> when only the URI can say.</summary>
    public string? LogPath { get; }

    public bool Streamed { get; }

    /// <summary>
    /// The public call this request belongs to, when the call handed it over: the handler reports into it without the
    /// <see cref="AsyncLocal{T}"/> of <see cref="Diagnostics.CallScope.Current"/>, whose setting costs every call two
    /// execution contexts (benchmarks/README.md, "A lean call").
    /// </summary>
    public Diagnostics.CallScope? Scope { get; init; }

    /// <summary>The path to log for any request: <see cref="LogPath"/> when known, else the URI's.</summary>
    public static string PathOf(HttpRequestMessage? request) =>
        request is ClientRequestMessage { LogPath: { } path } ? path : request?.RequestUri?.AbsolutePath ?? string.Empty;
}
