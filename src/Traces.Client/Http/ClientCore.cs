using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Refit;
using Traces.Client.Diagnostics;
using Traces.Client.Errors;
using Traces.Client.Serialization;

namespace Traces.Client.Http;

/// <summary>What every sub-client shares: the Refit proxy, the resolved options, and the call wrapper.</summary>
internal sealed class ClientCore
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;

    // What Refit puts before an interface path: the endpoint's own path, without its trailing slash.
    private readonly string _basePath;

    // The endpoint's scheme, host and port: a request built here gets its absolute URI in one parse, not a relative one
    // that HttpClient then combines with its base address (a second parse). Null without a base address.
    private readonly string? _origin;

    public ClientCore(HttpClient httpClient, TracesClientOptions options, ILogger logger, TracesClientMetrics metrics)
    {
        Metrics = metrics;
        _http = httpClient;
        _basePath = httpClient.BaseAddress is { } baseAddress ? baseAddress.AbsolutePath.TrimEnd('/') : string.Empty;
        _origin = httpClient.BaseAddress?.GetLeftPart(UriPartial.Authority);
        Options = options;
        Logger = logger;
        var settings = RefitSettings.ForJsonContext(TracesClientJsonContext.Default);

        // Buffered bodies can be re-sent by the retry strategy and carry a Content-Length.
        settings.Buffered = true;
        settings.ExceptionFactory = async response =>
            response.IsSuccessStatusCode ? null : await ErrorMapper.FromResponseAsync(response).ConfigureAwait(false);
        settings.DeserializationExceptionFactory = async (response, exception) =>
        {
            string? body = null;
            try
            {
                body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Nothing more to quote.
            }

            return ErrorMapper.InvalidResponse(response, body, exception);
        };
        Api = RestService.ForGenerated<ITracesApi>(httpClient, TracesClientJsonContext.Default, settings);
    }

    public ITracesApi Api { get; }

    public TracesClientOptions Options { get; }

    public ILogger Logger { get; }

    public TracesClientMetrics Metrics { get; }

    /// <summary>Runs one public call inside its diagnostic scope and maps every failure into the exception family.</summary>
    public Task<T> CallAsync<T>(string method, string? traceId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        PublicCall.RunAsync(Metrics, method, traceId, call, cancellationToken, Unwrap);

    /// <summary>
    /// Sends a request built here instead of through <see cref="Api"/>: the calls an agent makes per step (get a
    /// trace, add a step) skip Refit's per-call request building. The request is what Refit would send for the same
    /// route: the route's method and path (the trace id escaped as a data string), the query, <c>Accept</c>,
    /// <c>Idempotency-Key</c> and a buffered JSON body. The caller owns the response.
    /// </summary>
    /// <param name="route">The method and path; every request built here has one (<see cref="ClientRoute.All"/>).</param>
    /// <param name="traceId">The trace id, the path's variable.</param>
    /// <param name="query">The query with its <c>?</c>, or <c>null</c>.</param>
    /// <param name="body">The body, or <c>null</c>.</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c>, or <c>null</c>.</param>
    /// <param name="scope">The call's scope, carried on the request (<c>null</c>: the ambient one, <see cref="CallScope.Current"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<HttpResponseMessage> SendAsync(ClientRoute route, string traceId, string? query, HttpContent? body, string? idempotencyKey, CallScope? scope, CancellationToken cancellationToken)
    {
        var fullPath = _basePath + route.PathFor(traceId);
        var uri = _origin is null ? new Uri(fullPath + query, UriKind.Relative) : new Uri(string.Concat(_origin, fullPath, query), UriKind.Absolute);
        var request = new ClientRequestMessage(route.Method, uri, fullPath, streamed: false) { Content = body, Scope = scope };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(TracesResilience.IdempotencyKeyHeader, idempotencyKey);
        }

        return _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>A JSON request body, buffered so a retry can send it again (as Refit's <c>Buffered</c> setting does).</summary>
    public static HttpContent Json<T>(T body, JsonTypeInfo<T> typeInfo)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, typeInfo));
        content.Headers.ContentType = s_json;
        return content;
    }

    /// <summary><see cref="CallAsync{T}"/> for work that is a static function of <paramref name="state"/> (no closure).</summary>
    public Task<T> CallAsync<TState, T>(string method, string? traceId, TState state, Func<TState, CallScope, CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken) =>
        PublicCall.RunAsync(Metrics, method, traceId, state, call, cancellationToken, Unwrap);

    /// <summary>Reads a raw response: problem → exception, 2xx → <typeparamref name="T"/> (a non-JSON body → <c>invalid_response</c>).</summary>
    /// <remarks>A <see cref="ValueTask{T}"/>: a response already buffered (the client's handler buffers every answer in its attempt) is read without a task of its own.</remarks>
    public static async ValueTask<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ErrorMapper.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return JsonSerializer.Deserialize(body, typeInfo)
                    ?? throw ErrorMapper.InvalidResponse(response, "null", null);
            }
            catch (JsonException ex)
            {
                throw ErrorMapper.InvalidResponse(response, System.Text.Encoding.UTF8.GetString(body), ex);
            }
        }
    }

    /// <summary>A fresh key unless the caller gave one or automatic keys are off (then the POST is sent once).</summary>
    public string? IdempotencyKeyFor(string? callerKey) =>
        callerKey ?? (Options.AutoIdempotencyKeys ? IdempotencyKeys.New() : null);

    private static Exception Unwrap(Exception exception)
    {
        // Refit wraps transport failures (HttpClient.SendAsync throwing) in ApiRequestException.
        while (exception is ApiRequestException { InnerException: { } inner })
        {
            exception = inner;
        }

        return exception;
    }
}
