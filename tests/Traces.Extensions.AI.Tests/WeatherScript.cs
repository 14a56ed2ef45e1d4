using Microsoft.Extensions.AI;

namespace Traces.Extensions.AI.Tests;

/// <summary>The conversation most tests record: a question, two tools called in one turn, then the answer.</summary>
public static class WeatherScript
{
    public const string Question = "What is the weather in Paris, and what time is it there?";
    public const string Reasoning = "The user asks about Paris: I need the weather and the local time.";
    public const string Answer = "In Paris it is sunny, 21 °C, and the local time is 14:05.";

    public static AIFunction Weather { get; } = AIFunctionFactory.Create((string city) => city == "Paris" ? "Sunny, 21 °C" : "unknown", "get_weather", "The current weather in a city.");

    public static AIFunction Time { get; } = AIFunctionFactory.Create((string city) => city == "Paris" ? "14:05" : "unknown", "get_time", "The local time in a city.");

    public static ChatOptions Options => new() { Tools = [Weather, Time] };

    public static ScriptedTurn ToolTurn() => ScriptedTurn.Reply(
        "resp_1",
        new TextReasoningContent(Reasoning),
        new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" }),
        new FunctionCallContent("call_2", "get_time", new Dictionary<string, object?> { ["city"] = "Paris" }));

    public static ScriptedTurn AnswerTurn() => ScriptedTurn.Reply("resp_2", new TextContent(Answer));

    /// <summary>What the record of the whole conversation holds, one line per entry.</summary>
    public static readonly string[] RecordedLines =
    [
        "attestation 1",
        "THOUGHT " + Reasoning,
        "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_weather\"}",
        "ACTION {\"arguments\":{\"city\":\"Paris\"},\"name\":\"get_time\"}",
        "OBSERVATION Sunny, 21 °C",
        "OBSERVATION 14:05",
        "attestation 2",
        "OUTPUT " + Answer,
    ];
}
