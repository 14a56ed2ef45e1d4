using System.Net.Http.Headers;

namespace Traces.Client.Http;

/// <summary>
/// Outermost handler, once per call (retries reuse what it sets): adds the API key as <c>x-api-key</c> or
/// <c>Authorization: Bearer</c> (docs/api.md, Authentication) and a client-chosen <c>x-request-id</c>, which the
/// server echoes, so even a call that got no response can be correlated with server logs.
/// </summary>
internal sealed class TracesAuthenticationHandler(TracesClientOptions options) : DelegatingHandler
{
    internal const string ApiKeyHeader = "x-api-key";
    internal const string RequestIdHeader = "x-request-id";

    // Immutable (get-only scheme and parameter), so one instance serves every request of this client.
    private AuthenticationHeaderValue? _bearer;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // NonValidated: looking a header up this way neither parses nor copies its values (once per call, every call).
        var headers = request.Headers.NonValidated;
        if (!string.IsNullOrEmpty(options.ApiKey) && !headers.Contains(ApiKeyHeader) && request.Headers.Authorization is null)
        {
            if (options.AuthHeaderStyle == TracesAuthHeaderStyle.Bearer)
            {
                request.Headers.Authorization = _bearer ??= new AuthenticationHeaderValue("Bearer", options.ApiKey);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(ApiKeyHeader, options.ApiKey);
            }
        }

        string? requestId = null;
        if (headers.TryGetValues(RequestIdHeader, out var ids))
        {
            foreach (var id in ids)
            {
                requestId = id;
                break;
            }
        }

        if (requestId is null)
        {
            requestId = NewRequestId();
            request.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
        }

        Diagnostics.CallScope.Current?.RecordRequestId(requestId);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary><c>req_</c> and 32 hex digits of a fresh GUID, written into one string.</summary>
    private static string NewRequestId() =>
        string.Create(36, Guid.NewGuid(), static (chars, guid) =>
        {
            "req_".CopyTo(chars);
            guid.TryFormat(chars[4..], out _, "N");
        });
}
