using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Traces.Extensions.AI.ChatClients;
using Traces.Extensions.AI.Recording;

// The namespace of ChatClientBuilder, as for UseFunctionInvocation and UseOpenTelemetry: found without a using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.AI;
#pragma warning restore IDE0130

/// <summary>Adds <see cref="TracesRecordingChatClient"/> to a chat client pipeline.</summary>
public static class TracesRecordingChatClientBuilderExtensions
{
    /// <summary>
    /// Records every model call of the pipeline into a verifiable trace, as it happens. Add it after
    /// <c>UseFunctionInvocation()</c> so that it sits inside the tool loop and sees each model call.
    /// </summary>
    /// <param name="builder">The pipeline.</param>
    /// <param name="recorder">The run's recorder; when <see langword="null"/>, the <see cref="TraceRecorder"/> of the pipeline's service provider.</param>
    /// <returns>The <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">On build: no <paramref name="recorder"/> and none registered.</exception>
    public static ChatClientBuilder UseTracesRecording(this ChatClientBuilder builder, TraceRecorder? recorder = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((innerClient, services) =>
            new TracesRecordingChatClient(
                innerClient,
                recorder ?? services.GetService<TraceRecorder>()
                    ?? throw new InvalidOperationException("UseTracesRecording needs a TraceRecorder: pass one, or register one in the service provider.")));
    }
}
