using System.Net.Http.Headers;

namespace Traces.Client.Http;

/// <summary>Adds the API key as <c>x-api-key</c> or <c>Authorization: Bearer</c> (docs/api.md, Authentication).</summary>
internal sealed class TracesAuthenticationHandler(TracesClientOptions options) : DelegatingHandler
{
    internal const string ApiKeyHeader = "x-api-key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
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

        return base.SendAsync(request, cancellationToken);
    }

    internal static bool IsSensitive(string headerName) =>
        string.Equals(headerName, ApiKeyHeader, StringComparison.OrdinalIgnoreCase)
        || string.Equals(headerName, "Authorization", StringComparison.OrdinalIgnoreCase)
        || string.Equals(headerName, "Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || string.Equals(headerName, "Cookie", StringComparison.OrdinalIgnoreCase)
        || string.Equals(headerName, "Set-Cookie", StringComparison.OrdinalIgnoreCase);
}
