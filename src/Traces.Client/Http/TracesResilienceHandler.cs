using System.Diagnostics;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Traces.Client.Http;

/// <summary>
/// The client's resilience: retry → attempt timeout (docs/resilience.md), the two strategies of the standard resilience
/// handler that the rules need, with its option types and defaults. The total timeout is the attempt timeout's bound
/// and the retry's limit on waiting (<see cref="TracesResilience"/>), not a second timer per call; there is no circuit
/// breaker, concurrency limiter, per-call request snapshot or per-execution Polly telemetry. The client reports calls,
/// retries and failures itself (<see cref="Diagnostics.CallScope"/>, <see cref="TracesResilience"/>'s log lines).
/// </summary>
/// <remarks>
/// The first attempt sends the caller's request as it is; a retry sends a copy (same type, method, URI, version,
/// headers, options and buffered content) so the inner handlers and the transport see a request that was never sent.
/// </remarks>
internal sealed class TracesResilienceHandler : DelegatingHandler
{
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public TracesResilienceHandler(HttpStandardResilienceOptions standard)
    {
        // Outermost first, as the standard handler orders them (docs/resilience.md, The pipeline).
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(standard.Retry)
            .AddTimeout(standard.AttemptTimeout)
            .Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        CallClock.Start(context);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    // The first attempt has no request on the context yet; every later one gets a fresh copy.
                    var sent = context.GetRequestMessage();
                    var request = sent is null ? state.Request : Copy(sent);
                    context.SetRequestMessage(request);
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendCoreAsync(request, context.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);

    /// <summary>
    /// A request for another attempt. Trace-context headers are left out: the transport's diagnostics handler writes
    /// them for each attempt and keeps any it finds, so a copied one would name the previous attempt's span.
    /// </summary>
    private static HttpRequestMessage Copy(HttpRequestMessage sent)
    {
        var copy = sent is ClientRequestMessage own
            ? new ClientRequestMessage(sent.Method, sent.RequestUri, own.LogPath, own.Streamed)
            : new HttpRequestMessage(sent.Method, sent.RequestUri);
        copy.Version = sent.Version;
        copy.VersionPolicy = sent.VersionPolicy;
        copy.Content = sent.Content;
        var propagated = DistributedContextPropagator.Current.Fields;
        foreach (var (name, values) in sent.Headers.NonValidated)
        {
            if (!Contains(propagated, name))
            {
                copy.Headers.TryAddWithoutValidation(name, values);
            }
        }

        foreach (var (key, value) in sent.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[key] = value;
        }

        return copy;
    }

    private static bool Contains(IReadOnlyCollection<string>? names, string name)
    {
        if (names is null)
        {
            return false;
        }

        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
