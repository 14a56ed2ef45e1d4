using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Traces.Extensions.AI.Recording;

namespace Traces.Extensions.AI.ChatClients;

/// <summary>
/// A chat client middleware that records each model call into a trace as it happens (docs/ai-recording.md §2): the
/// tool results the request carries for the first time (<c>OBSERVATION</c>, or <c>ERROR</c> for a failed tool), then
/// the call as an AI attestation, then the response's reasoning (<c>THOUGHT</c>), text (<c>OUTPUT</c>), tool calls
/// (<c>ACTION</c>) and errors (<c>ERROR</c>) in order. A streamed response is recorded once the stream ends.
/// </summary>
/// <remarks>
/// Requests and responses pass through unchanged. Place it inside function invocation
/// (<c>.UseFunctionInvocation().UseTracesRecording(recorder)</c>) so that every model call of a tool loop is
/// attested. A recording failure follows <see cref="TraceRecorder.FailurePolicy"/>; when the model call itself
/// fails, its exception is what the caller gets, and a recording failure on that path stays queued (and is surfaced
/// by sealing).
/// </remarks>
public sealed class TracesRecordingChatClient : DelegatingChatClient
{
    private string? _provider;
    private bool _providerKnown;

    /// <summary>Creates the middleware.</summary>
    /// <param name="innerClient">The client that calls the model.</param>
    /// <param name="recorder">The run's recorder.</param>
    public TracesRecordingChatClient(IChatClient innerClient, TraceRecorder recorder)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        Recorder = recorder;
    }

    /// <summary>The recorder entries go to.</summary>
    public TraceRecorder Recorder { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // A copy: the caller (function invocation) appends to its list once this call returns.
        var request = messages.ToList();
        var modelCall = await Recorder.BeginModelCallAsync(request, cancellationToken).ConfigureAwait(false);
        ChatResponse response;
        try
        {
            response = await base.GetResponseAsync(request, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(modelCall, request, options, null, ex, cancellationToken).ConfigureAwait(false);
            throw;
        }

        await Recorder.EndModelCallAsync(modelCall, request, options, response, Provider(), completion: null).ConfigureAwait(false);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = messages.ToList();
        var modelCall = await Recorder.BeginModelCallAsync(request, cancellationToken).ConfigureAwait(false);
        var updates = new List<ChatResponseUpdate>();
        var ended = false;
        var enumerator = base.GetStreamingResponseAsync(request, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                    await RecordFailureAsync(modelCall, request, options, updates.Count > 0 ? updates.ToChatResponse() : null, ex, cancellationToken).ConfigureAwait(false);
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
                // The caller stopped reading: what it received is recorded, and an ERROR step says the rest never came.
                await Quietly(Recorder.AbandonModelCallAsync(modelCall, request, options, updates.ToChatResponse(), Provider(), updates.Count)).ConfigureAwait(false);
            }
        }

        await Recorder.EndModelCallAsync(modelCall, request, options, updates.ToChatResponse(), Provider(), completion: "streamed").ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(TraceRecorder) ? Recorder : base.GetService(serviceType, serviceKey);
    }

    private Task RecordFailureAsync(int modelCall, IReadOnlyList<ChatMessage> request, ChatOptions? options, ChatResponse? partial, Exception exception, CancellationToken cancellationToken) =>
        Quietly(Recorder.FailModelCallAsync(modelCall, request, options, partial, Provider(), exception, cancelled: exception is OperationCanceledException && cancellationToken.IsCancellationRequested));

    /// <summary>
    /// On a path where the model call already failed, its exception is what the caller must get: a recording failure
    /// there is logged and counted by the recorder, and its entries stay queued, so sealing surfaces it.
    /// </summary>
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

    private string? Provider()
    {
        if (!_providerKnown)
        {
            _provider = InnerClient.GetService<ChatClientMetadata>()?.ProviderName;
            _providerKnown = true;
        }

        return _provider;
    }
}
