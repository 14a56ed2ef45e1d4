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

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        CallClock.Start(request);
        if (!string.IsNullOrEmpty(options.ApiKey) && !request.Headers.Contains(ApiKeyHeader) && request.Headers.Authorization is null)
        {
            if (options.AuthHeaderStyle == TracesAuthHeaderStyle.Bearer)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(ApiKeyHeader, options.ApiKey);
            }
        }

        if (!request.Headers.TryGetValues(RequestIdHeader, out var ids) || ids.FirstOrDefault() is not { } requestId)
        {
            requestId = "req_" + Guid.NewGuid().ToString("N");
            request.Headers.TryAddWithoutValidation(RequestIdHeader, requestId);
        }

        Diagnostics.CallScope.Current?.RecordRequestId(requestId);
        return base.SendAsync(request, cancellationToken);
    }
}
