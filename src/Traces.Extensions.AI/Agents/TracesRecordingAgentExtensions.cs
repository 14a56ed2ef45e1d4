using Traces.Extensions.AI.Agents;
using Traces.Extensions.AI.Recording;

// The namespace of AIAgent, as for the Agent Framework's own extensions.
#pragma warning disable IDE0130
namespace Microsoft.Agents.AI;
#pragma warning restore IDE0130

/// <summary>Wraps an agent in <see cref="TracesRecordingAgent"/>.</summary>
public static class TracesRecordingAgentExtensions
{
    /// <summary>
    /// Records each run of <paramref name="agent"/> as one sealed trace. In an <c>AIAgentBuilder</c> pipeline:
    /// <c>.Use(inner =&gt; inner.WithTracesRecording(recorderPerRun))</c>.
    /// </summary>
    /// <param name="agent">The agent.</param>
    /// <param name="recorderPerRun">Returns a new recorder for each run.</param>
    /// <returns>The recording agent.</returns>
    public static TracesRecordingAgent WithTracesRecording(this AIAgent agent, Func<TraceRecorder> recorderPerRun)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return new TracesRecordingAgent(agent, recorderPerRun);
    }
}
