using System.Runtime.CompilerServices;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Traces.Extensions.AI.Recording;

namespace Traces.Extensions.AI.Agents;

/// <summary>
/// Records each run of a Microsoft Agent Framework <see cref="AIAgent"/> as one trace (docs/ai-recording.md §7): the
/// run as an attestation (the messages it was given, the messages it produced, the usage it reports), then each
/// tool call, tool result, reasoning, text and error of the response in order; the trace is sealed when the run ends,
/// whether it succeeded or failed.
/// </summary>
/// <remarks>
/// Each run takes a fresh <see cref="TraceRecorder"/> from the factory given to the constructor; keep the recorders
/// the factory returns to learn each run's trace id and transcript. Runs and responses pass through unchanged. With
/// <see cref="RecordingFailurePolicy.LogAndContinue"/> a run whose trace cannot be written or sealed still returns
/// its response: the recorder stays unsealed, and <see cref="TraceRecorder.SealAsync"/> can be called again.
/// </remarks>
public sealed class TracesRecordingAgent : DelegatingAIAgent
{
    private readonly Func<TraceRecorder> _recorderPerRun;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerAgent">The agent whose runs are recorded.</param>
    /// <param name="recorderPerRun">Returns a new recorder for each run (one trace per run).</param>
    public TracesRecordingAgent(AIAgent innerAgent, Func<TraceRecorder> recorderPerRun)
        : base(innerAgent)
    {
        ArgumentNullException.ThrowIfNull(recorderPerRun);
        _recorderPerRun = recorderPerRun;
    }

    /// <inheritdoc />
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages.ToList();
        var recorder = NewRecorder();
        var run = await recorder.BeginModelCallAsync(request, cancellationToken).ConfigureAwait(false);
        AgentResponse response;
        try
        {
            response = await InnerAgent.RunAsync(request, session, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(recorder, run, request, null, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }

        await FinishAsync(recorder, run, request, response.AsChatResponse(), completion: null).ConfigureAwait(false);
        return response;
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(
        IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages.ToList();
        var recorder = NewRecorder();
        var run = await recorder.BeginModelCallAsync(request, cancellationToken).ConfigureAwait(false);
        var updates = new List<AgentResponseUpdate>();
        var ended = false;
        var enumerator = InnerAgent.RunStreamingAsync(request, session, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex)
                {
                    ended = true;
                    await RecordFailureAsync(recorder, run, request, updates.Count > 0 ? updates.ToAgentResponse().AsChatResponse() : null, ex, cancellationToken).ConfigureAwait(false);
                    throw;
                }

                updates.Add(enumerator.Current);
                yield return enumerator.Current;
            }

            ended = true;
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            if (!ended)
            {
                await Quietly(recorder.AbandonModelCallAsync(run, request, null, updates.ToAgentResponse().AsChatResponse(), Provider(), updates.Count)).ConfigureAwait(false);
                await Quietly(recorder.SealAsync(CancellationToken.None)).ConfigureAwait(false);
            }
        }

        await FinishAsync(recorder, run, request, updates.ToAgentResponse().AsChatResponse(), completion: "streamed").ConfigureAwait(false);
    }

    private TraceRecorder NewRecorder() =>
        _recorderPerRun() ?? throw new InvalidOperationException("The recorder factory returned null.");

    private async Task FinishAsync(TraceRecorder recorder, int run, IReadOnlyList<ChatMessage> request, ChatResponse response, string? completion)
    {
        await recorder.EndModelCallAsync(run, request, null, response, Provider(), completion).ConfigureAwait(false);
        try
        {
            // The run is over: its trace is sealed now, not when the caller gets round to it.
            await recorder.SealAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (TraceRecordingException) when (recorder.FailurePolicy == RecordingFailurePolicy.LogAndContinue)
        {
            // Counted by the recorder; it stays unsealed, and its owner can seal it again.
        }
    }

    private async Task RecordFailureAsync(TraceRecorder recorder, int run, IReadOnlyList<ChatMessage> request, ChatResponse? partial, Exception exception, CancellationToken cancellationToken)
    {
        var cancelled = exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
        await Quietly(recorder.FailModelCallAsync(run, request, null, partial, Provider(), exception, cancelled)).ConfigureAwait(false);
        await Quietly(recorder.SealAsync(CancellationToken.None)).ConfigureAwait(false);
    }

    // The run's own exception is what the caller must get; a recording failure on that path is counted and logged by
    // the recorder, which stays unsealed for its owner to retry.
    private static async Task Quietly(Task recording)
    {
        try
        {
            await recording.ConfigureAwait(false);
        }
        catch (TraceRecordingException)
        {
        }
    }

    private string? Provider() => InnerAgent.GetService<ChatClientMetadata>()?.ProviderName;
}
