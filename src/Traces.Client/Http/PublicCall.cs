using Traces.Client.Diagnostics;
using Traces.Client.Errors;

namespace Traces.Client.Http;

/// <summary>
/// One public call of any client (<see cref="TracesClient"/>'s services and every vendor client): its diagnostic scope
/// (activity and metrics on the one <c>Traces.Client</c> source and meter), and every failure mapped into
/// <see cref="TracesApiException"/>; cancelling the caller's token stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal static class PublicCall
{
    /// <param name="metrics">The client's meter.</param>
    /// <param name="operation">The activity name, e.g. <c>Traces.Get</c> or <c>SidClaw.ListTraces</c>.</param>
    /// <param name="traceId">The trace the call concerns, if any (an activity tag).</param>
    /// <param name="call">The work.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <param name="unwrap">Removes a transport library's wrapper around the real failure (Refit's <c>ApiRequestException</c>).</param>
    public static Task<T> RunAsync<T>(TracesClientMetrics metrics, string operation, string? traceId, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, Func<Exception, Exception>? unwrap = null) =>
        RunCoreAsync(metrics, operation, traceId, call, static (call, _, ct) => new ValueTask<T>(call(ct)), ambient: true, cancellationToken, unwrap);

    /// <summary>
    /// <see cref="RunAsync{T}(TracesClientMetrics, string, string?, Func{CancellationToken, Task{T}}, CancellationToken, Func{Exception, Exception}?)"/>
    /// for a call whose work is a static function of <paramref name="state"/>: no closure, no delegate, and no task of
    /// its own when the work completes at once (the calls an agent makes per step). The work gets the call's scope and
    /// hands it to every request it sends (<see cref="ClientRequestMessage.Scope"/>): the scope is not made ambient.
    /// </summary>
    public static Task<T> RunAsync<TState, T>(TracesClientMetrics metrics, string operation, string? traceId, TState state, Func<TState, CallScope, CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken, Func<Exception, Exception>? unwrap = null) =>
        RunCoreAsync(metrics, operation, traceId, state, call, ambient: false, cancellationToken, unwrap);

    private static async Task<T> RunCoreAsync<TState, T>(TracesClientMetrics metrics, string operation, string? traceId, TState state, Func<TState, CallScope, CancellationToken, ValueTask<T>> call, bool ambient, CancellationToken cancellationToken, Func<Exception, Exception>? unwrap)
    {
        // Started here, inside the async method: an ambient scope then never leaks into the caller's context.
        using var scope = CallScope.Start(metrics, operation, traceId, ambient);
        try
        {
            return await call(state, scope, cancellationToken).ConfigureAwait(false);
        }
        catch (TracesApiException ex)
        {
            scope.Fail(ex, ex.ErrorCode);
            throw;
        }
        catch (Exception ex)
        {
            var inner = unwrap?.Invoke(ex) ?? ex;
            if (inner is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                scope.Cancel();
                if (ReferenceEquals(inner, ex))
                {
                    throw;
                }

                throw new OperationCanceledException(inner.Message, inner, cancellationToken);
            }

            var mapped = ErrorMapper.FromException(inner, scope.RequestId);
            if (mapped is null)
            {
                scope.Fail(ex, null);
                throw;
            }

            scope.Fail(mapped, mapped.ErrorCode);
            throw mapped;
        }
    }
}
