using System.Text;
using System.Text.Json;
using Traces.Cli.Infrastructure;

namespace Traces.Cli.Developer;

/// <summary>
/// One entry as a person reads it (<c>traces show</c>): what kind of entry it is and, from its payload, the step
/// type and text, the document reference, the attestation's model, or a short form of an event's payload. Reads the
/// payload shapes of docs/api.md; an entry of another shape is shown by its compact JSON. Nothing here is verified.
/// </summary>
internal sealed record EntryView(long? Index, string? EventId, string? IngestedAt, string? EventType, string Summary, JsonElement? Payload)
{
    internal const int MaxSummaryLength = 120;

    public string? StepType { get; init; }

    public string? Text { get; init; }

    public string? DocumentRef { get; init; }

    public string? DocumentHash { get; init; }

    public string? ModelProvider { get; init; }

    public string? ModelName { get; init; }

    /// <summary>False when the bundle or the API did not give the payload (withheld, or an open trace).</summary>
    public bool PayloadAvailable => Payload is not null;

    /// <param name="index">The entry's index (null for a seal event).</param>
    /// <param name="eventId">Its id.</param>
    /// <param name="ingestedAt">When it was accepted.</param>
    /// <param name="eventType">Its type.</param>
    /// <param name="payload">Its payload, or null when it is not available.</param>
    /// <param name="missingPayload">What to say when <paramref name="payload"/> is null.</param>
    public static EntryView Create(long? index, string? eventId, string? ingestedAt, string? eventType, JsonElement? payload, string missingPayload)
    {
        var view = new EntryView(index, eventId, ingestedAt, eventType, "", payload);
        if (payload is not { } value)
        {
            return view with { Summary = missingPayload };
        }

        switch (eventType)
        {
            // A payload of a known type but another shape (none of its members are there) reads as any event's.
            case "agent.step" when String(value, "type") is not null || String(value, "content") is not null:
            {
                var stepType = String(value, "type");
                var text = String(value, "content");
                return view with { StepType = stepType, Text = text, Summary = Shorten($"{stepType ?? "?"}: {text}") };
            }

            case "document.anchored" when String(value, "document_ref") is not null || String(value, "document_hash") is not null:
            {
                var reference = String(value, "document_ref");
                var hash = String(value, "document_hash");
                return view with
                {
                    DocumentRef = reference,
                    DocumentHash = hash,
                    Summary = Shorten(string.Join("  ", new[] { reference, hash }.Where(v => v is not null))),
                };
            }

            case "ai.attestation" when AttestationOutput(value) is not null || AttestationModel(value, "model_name") is not null:
            {
                var provider = AttestationModel(value, "model_provider");
                var model = AttestationModel(value, "model_name");
                var type = String(value, "type");
                var output = AttestationOutput(value);
                var by = string.Join('/', new[] { provider, model }.Where(v => !string.IsNullOrEmpty(v)));
                return view with
                {
                    ModelProvider = provider,
                    ModelName = model,
                    Text = output,
                    Summary = Shorten($"{type ?? "attestation"}{(by.Length == 0 ? "" : " by " + by)}: {output}"),
                };
            }

            case "trace.sealed" when Member(value, "event_count") is not null:
            {
                var count = Member(value, "event_count") is { ValueKind: JsonValueKind.Number } n ? n.GetRawText() : "?";
                return view with { Summary = Shorten($"sealed: {count} {(count == "1" ? "entry" : "entries")}, composite {String(value, "composite_hash")}") };
            }

            default:
                return view with { Summary = Shorten(Compact(value)) };
        }
    }

    /// <summary>Text from a document, safe to print (<see cref="TerminalText"/>), shortened to <see cref="MaxSummaryLength"/>.</summary>
    internal static string Shorten(string text) => TerminalText.Safe(text, MaxSummaryLength);

    // Flat (docs/api.md) or nested under "context" and "payload" (Invoance's attestation body).
    private static string? AttestationModel(JsonElement value, string name) => String(value, name) ?? String(Member(value, "context"), name);

    private static string? AttestationOutput(JsonElement value) => String(value, "output") ?? String(Member(value, "payload"), "output");

    private static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonElement? Member(JsonElement? value, string name) =>
        value is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var member) ? member : null;

    private static string? String(JsonElement? value, string name) =>
        Member(value, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
}
