using System.Threading.Channels;
using Traces.Client;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Operations;
using Traces.Verification.Trust;

namespace AspNetCoreIntegration;

/// <summary>Trace ids waiting to be sealed.</summary>
public sealed class SealQueue
{
    private readonly Channel<string> _channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public ValueTask EnqueueAsync(string traceId, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(traceId, cancellationToken);

    internal IAsyncEnumerable<string> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}

/// <summary>
/// Seals queued traces and waits for each (a few at a time). On start it first resumes seals a previous run left
/// unfinished, by rehydrating their operations from the trace id.
/// </summary>
public sealed partial class SealingService(TracesClient traces, SealQueue queue, ILogger<SealingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var pending in traces.Traces.ListAllAsync(new TraceListFilter { AgentId = OrdersEndpoints.AgentId, Status = TraceStatus.Sealing }, stoppingToken))
            {
                LogResuming(logger, pending.TraceId!);
                await SealAndWaitAsync(pending.TraceId!, resume: true, stoppingToken);
            }
        }
        catch (TracesApiException ex)
        {
            LogResumeFailed(logger, ex, ex.ErrorCode);
        }

        await Parallel.ForEachAsync(queue.ReadAllAsync(stoppingToken), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stoppingToken },
            async (traceId, ct) => await SealAndWaitAsync(traceId, resume: false, ct));
    }

    private async Task SealAndWaitAsync(string traceId, bool resume, CancellationToken ct)
    {
        try
        {
            SealTraceOperation operation = resume
                ? new SealTraceOperation(traces, traceId)   // rehydrated: an earlier run started this seal
                : await traces.Traces.SealAsync(traceId, ct);
            var sealedTrace = await operation.WaitForCompletionAsync(cancellationToken: ct);
            LogSealed(logger, sealedTrace.TraceId!, sealedTrace.EventCount ?? 0, sealedTrace.CompositeHash);
        }
        catch (TracesApiException ex)
        {
            // Never let one trace stop the service: the trace stays in the service, and a failed seal carries the
            // server's error code (a timeout is code "timeout"; the seal can be resumed later by its id).
            LogSealFailed(logger, ex, traceId, ex.ErrorCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming the seal of trace {TraceId}")]
    private static partial void LogResuming(ILogger logger, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not list unfinished seals ({Code})")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string? code);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sealed trace {TraceId}: {EventCount} entries, composite {CompositeHash}")]
    private static partial void LogSealed(ILogger logger, string traceId, long eventCount, string? compositeHash);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sealing trace {TraceId} failed ({Code})")]
    private static partial void LogSealFailed(ILogger logger, Exception exception, string traceId, string? code);
}

/// <summary>The keys offline verification trusts.</summary>
public sealed partial class PinnedKeys
{
    private readonly Func<CancellationToken, Task<TrustPolicy>> _load;
    private Task<TrustPolicy>? _policy;

    private PinnedKeys(Func<CancellationToken, Task<TrustPolicy>> load, string source)
    {
        _load = load;
        Source = source;
    }

    public string Source { get; }

    /// <summary>Keys obtained out of band (here: handed over in process by the embedded server).</summary>
    public static PinnedKeys FromKeys(TrustPolicy policy, string source) => new(_ => Task.FromResult(policy), source);

    /// <summary>
    /// For the demo against a remote endpoint only: the keys the service publishes, fetched once. A production
    /// auditor pins keys obtained out of band instead.
    /// </summary>
    public static PinnedKeys FetchedOnce(TracesClient traces, ILogger<PinnedKeys> logger) => new(async ct =>
    {
        LogNotPinned(logger);
        return TrustPolicy.FromPublishedKeys(await traces.Traces.GetPublicKeysAsync(ct));
    }, "GET /v1/traces/public-key (fetched once, NOT independently pinned)");

    public Task<TrustPolicy> GetAsync(CancellationToken cancellationToken) =>
        LazyInitializer.EnsureInitialized(ref _policy, () => _load(cancellationToken));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trusting the keys the endpoint publishes; production auditors must pin keys obtained out of band.")]
    private static partial void LogNotPinned(ILogger logger);
}
