using System.Text.Json.Nodes;
using Traces.Client.Models;

namespace Traces.Extensions.AI.Recording;

/// <summary>An agent step as it is written (docs/ai-recording.md §2): content already under the content policy.</summary>
/// <param name="Type">The step type (<c>THOUGHT</c>, <c>ACTION</c>, <c>OBSERVATION</c>, <c>OUTPUT</c>, <c>ERROR</c>).</param>
/// <param name="Content">The content: the text, <c>sha256:</c> + hex of it, or its redaction.</param>
/// <param name="Metadata">Tool names, call ids, the content policy; never content. A sink must not change it.</param>
/// <param name="IdempotencyKey">The same for every attempt to write this step.</param>
public sealed record RecordedStep(StepType Type, string Content, JsonObject Metadata, string IdempotencyKey);
