using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Traces.Client.Diagnostics;
using Traces.Client.Errors;
using Traces.Client.Http;

namespace Traces.Client.Vendors.Http;

/// <summary>
/// What one vendor client sends through: the shared HTTP pipeline (authentication, resilience, logging), one
/// diagnostic scope per public call on the client's <c>ActivitySource</c> and <c>Meter</c>, and the mapping of every
/// failure into <see cref="TracesApiException"/>. Requests are built here, by hand, so that a vendor's paths, query
/// names and paging stay exactly the vendor's and an export can be streamed.
/// </summary>
internal sealed class VendorHttpCore
{
    private readonly HttpClient _http;
    private readonly TracesClientMetrics _metrics;

    public VendorHttpCore(HttpClient http, ResolvedVendorOptions options, ILogger logger, TracesClientMetrics metrics)
    {
        _http = http;
        _metrics = metrics;
        Options = options;
        Logger = logger;
    }

    public ResolvedVendorOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>Sends a request and reads its JSON answer into <typeparamref name="T"/>.</summary>
    public Task<T> SendAsync<T>(string operation, string? traceId, HttpMethod method, string path, VendorQuery? query, HttpContent? body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        CallAsync(operation, traceId, async ct =>
        {
            using var response = await SendCoreAsync(method, path, query, body, streamed: false, ct).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            try
            {
                return JsonSerializer.Deserialize(bytes, typeInfo) ?? throw ErrorMapper.InvalidResponse(response, "null", null);
            }
            catch (JsonException ex)
            {
                throw ErrorMapper.InvalidResponse(response, System.Text.Encoding.UTF8.GetString(bytes), ex);
            }
        }, cancellationToken);

    /// <summary>Sends a request whose success has no body (<c>204 No Content</c>).</summary>
    public Task SendNoContentAsync(string operation, string? traceId, HttpMethod method, string path, HttpContent? body, CancellationToken cancellationToken) =>
        CallAsync<bool>(operation, traceId, async ct =>
        {
            using var response = await SendCoreAsync(method, path, null, body, streamed: false, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>The answer's bytes exactly as the server sent them (a document to keep or verify, never re-serialized).</summary>
    public Task<byte[]> GetBytesAsync(string operation, string? traceId, string path, VendorQuery? query, CancellationToken cancellationToken) =>
        CallAsync(operation, traceId, async ct =>
        {
            using var response = await SendCoreAsync(HttpMethod.Get, path, query, null, streamed: false, ct).ConfigureAwait(false);
            return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Opens a streamed answer: the call (retries included) ends when the headers arrive; the caller owns the
    /// response and reads the body at its own pace, never buffered whole.
    /// </summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string operation, string? traceId, string path, VendorQuery? query, CancellationToken cancellationToken) =>
        CallAsync(operation, traceId, ct => SendCoreAsync(HttpMethod.Get, path, query, null, streamed: true, ct), cancellationToken);

    public Uri UriFor(string path, VendorQuery? query) => new(Options.BaseUrl, path + query);

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, VendorQuery? query, HttpContent? body, bool streamed, CancellationToken cancellationToken)
    {
        using var request = new ClientRequestMessage(method, UriFor(path, query), path: null, streamed) { Content = body };
        request.Headers.Accept.ParseAdd(streamed ? "*/*" : "application/json");

        var response = await _http.SendAsync(request, streamed ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await VendorErrorMapper.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    private Task<T> CallAsync<T>(string operation, string? traceId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        PublicCall.RunAsync(_metrics, operation, traceId, call, cancellationToken);
}
