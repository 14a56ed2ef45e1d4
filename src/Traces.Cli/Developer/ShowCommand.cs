using System.CommandLine;
using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Cli.Verification;
using Traces.Client;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.Cli.Developer;

/// <summary>
/// <c>traces show &lt;bundle.json | trace-id&gt;</c>: a trace's entries in order, as a person reads them. From a bundle file
/// (offline) or from the endpoint (a sealed trace's proof carries the payloads; an open trace's entries come without
/// them). It displays what the trace says and checks nothing: <c>traces verify</c> does that.
/// </summary>
internal static class ShowCommand
{
    private const string NotVerified = "Not verified: this is what the trace says. Check it with 'traces verify <bundle.json> --trust <keys>'.";

    public static Command Create(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var source = new Argument<string>("bundle-or-trace-id")
        {
            Description = "A proof bundle file (read offline), or a trace id (tr_…) read from the endpoint.",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON (snake_case) instead of a table." };
        var command = new Command("show",
            "Show a trace's entries in order: index, time, type, and what each says (step type and text, event payload, document " +
            "reference, attestation model). Displays; does not verify. Exit codes: 0 shown, 3 unusable input (no such file or " +
            "trace id, not a bundle), 4 the service returned an error or could not be reached.")
        {
            source, json,
        };
        endpoint.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var value = parse.GetRequiredValue(source);
            if (Directory.Exists(value))
            {
                throw new CliException($"'{value}' is a directory: give a proof bundle file or a trace id.");
            }

            if (File.Exists(value))
            {
                var bundle = DocumentFiles.Read(value, "bundle", TracesJsonContext.Default.ProofBundle);
                return await WriteAsync(console, parse.GetValue(json), FromBundle(bundle, value)).ConfigureAwait(false);
            }

            // A trace id has no path separator and no file extension: such a value was meant as a file.
            if (!TraceIdentifiers.IsValidId(value) || value.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"'{value}': no such file, and not a trace id (tr_…).");
            }

            return await endpoint.RunAsync(parse, console, async (client, address) =>
                await WriteAsync(console, parse.GetValue(json), await FromEndpointAsync(client, address, value, cancellationToken).ConfigureAwait(false))
                    .ConfigureAwait(false)).ConfigureAwait(false);
        });
        return command;
    }

    private static ShowDocument FromBundle(ProofBundle bundle, string path) => new(
        "file", path, bundle.TraceId, bundle.Label, bundle.Status, bundle.EventCount ?? bundle.Events?.Count, bundle.CreatedAt, bundle.SealedAt,
        bundle.CompositeHash, bundle.IntegrityRootHash,
        [.. (bundle.Events ?? []).Where(e => e is not null).Select(e => EntryView.Create(e.Index, e.EventId, e.IngestedAt, e.EventType, e.Payload,
            "(payload withheld: only its hash is in the bundle)"))],
        bundle.SealEvent is { } seal
            ? EntryView.Create(null, seal.EventId, seal.IngestedAt, seal.EventType, seal.Payload, "(no payload)")
            : null,
        null);

    private static async Task<ShowDocument> FromEndpointAsync(TracesClient client, Uri endpoint, string traceId, CancellationToken cancellationToken)
    {
        var trace = await client.Traces.GetAsync(traceId, cancellationToken).ConfigureAwait(false);
        var where = endpoint.ToString();
        if (trace.Status?.Value == "sealed")
        {
            // Only the proof carries the payloads (docs/api.md).
            var bundle = await client.Traces.GetProofAsync(traceId, cancellationToken).ConfigureAwait(false);
            return FromBundle(bundle, where) with { Source = "endpoint" };
        }

        return new ShowDocument("endpoint", where, trace.TraceId, trace.Label, trace.Status?.Value, trace.EventCount,
            TraceRow.Time(trace.CreatedAt), TraceRow.Time(trace.SealedAt), trace.CompositeHash, trace.IntegrityRootHash,
            [.. (trace.Events ?? []).Select(e => EntryView.Create(e.Index, e.EventId, TraceRow.Time(e.IngestedAt), e.EventType,
                e.AdditionalProperties?.TryGetValue("payload", out var payload) == true && payload.ValueKind != JsonValueKind.Null ? payload : null,
                "(payload not returned)"))],
            null,
            trace.Events is { Count: > 0 } ? "The API returns entry payloads only in the proof of a sealed trace; seal it and show it again to read them." : null);
    }

    private static async Task<int> WriteAsync(ICliConsole console, bool asJson, ShowDocument document)
    {
        if (asJson)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(document, CliJsonContext.Output.ShowDocument)).ConfigureAwait(false);
            return ExitCodes.Valid;
        }

        var output = console.Out;
        output.WriteLine($"Trace    {EntryView.Shorten(document.TraceId ?? "(none)")}");
        if (document.Label is not null)
        {
            output.WriteLine($"Label    {EntryView.Shorten(document.Label)}");
        }

        output.WriteLine($"Status   {EntryView.Shorten(document.Status ?? "?")}, {document.EventCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} entries" +
            (document.SealedAt is null ? "" : $", sealed {EntryView.Shorten(document.SealedAt)}"));
        output.WriteLine($"From     {EntryView.Shorten(document.Location)}");
        output.WriteLine();

        var rows = document.Entries.Select(e => new[] { e.Index?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?", e.IngestedAt, e.EventType, e.Summary })
            .ToList();
        if (document.SealEvent is { } seal)
        {
            rows.Add(["seal", seal.IngestedAt, seal.EventType, seal.Summary]);
        }

        Table.Write(output, ["#", "INGESTED", "TYPE", "WHAT"], rows.Select(r => r.Select(c => EntryView.Shorten(c ?? "")).ToArray()));
        output.WriteLine();
        if (document.Note is not null)
        {
            output.WriteLine(document.Note);
        }

        output.WriteLine(NotVerified);
        return ExitCodes.Valid;
    }
}

/// <summary>
/// What <c>traces show --json</c> prints. <c>source</c> is <c>file</c> or <c>endpoint</c>; each entry has its
/// <c>summary</c> and, by type, <c>step_type</c>/<c>text</c>, <c>document_ref</c>/<c>document_hash</c> or
/// <c>model_provider</c>/<c>model_name</c>/<c>text</c>, and the raw <c>payload</c> (null when not available);
/// <c>note</c> says why payloads are missing when the source did not give them.
/// </summary>
internal sealed record ShowDocument(string Source, string Location, string? TraceId, string? Label, string? Status, long? EventCount,
    string? CreatedAt, string? SealedAt, string? CompositeHash, string? IntegrityRootHash, IReadOnlyList<EntryView> Entries, EntryView? SealEvent,
    string? Note);
