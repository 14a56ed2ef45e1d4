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

    /// <summary><c>req_</c> and 32 hex digits of 128 random bits, written into one string.</summary>
    /// <remarks>
    /// A correlation id, neither a secret nor an idempotency key (those stay <see cref="Guid.NewGuid"/>), so the bits
    /// come from the thread's generator (<see cref="Random.Shared"/>, seeded from the operating system), not from the
    /// operating system on every call: <see cref="Guid.NewGuid"/> costs about 1.6 µs of CPU where that is a system call
    /// (benchmarks/README.md, "A lean call"), a fifth of a whole call.
    /// </remarks>
    internal static string NewRequestId()
    {
        Span<byte> bits = stackalloc byte[16];
        Random.Shared.NextBytes(bits);
        return string.Create(36, new Guid(bits), static (chars, id) =>
        {
            "req_".CopyTo(chars);
            id.TryFormat(chars[4..], out _, "N");
        });
    }
}
