using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Cli.Infrastructure;
using Traces.Cli.Verification;
using Traces.Client;
using Traces.Client.Models;
using Traces.Verification.Hashing;

namespace Traces.Cli.Developer;

/// <summary>
/// <c>create</c>, <c>step</c>, <c>event</c>, <c>document</c>, <c>attest</c>: making a trace against an endpoint, each a
/// call of the public <see cref="TracesClient"/> (so the wire follows the client), each with <c>--json</c>.
/// </summary>
internal static class AuthoringCommands
{
    private const string ExitCodeHelp = "Exit codes: 0 success, 3 unusable input (no endpoint or key, bad arguments), 4 the service returned an error or could not be reached.";

    public static IEnumerable<Command> Create(ICliConsole console)
    {
        yield return CreateTrace(console);
        yield return Step(console);
        yield return Event(console);
        yield return Document(console);
        yield return Attest(console);
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (snake_case) instead of text." };

    private static Option<string?> TraceOption() => new("--trace")
    {
        Description = "The open trace to add the entry to (tr_…). Without it the service records a standalone signed entry, part of no trace.",
    };

    private static Command CreateTrace(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var label = new Option<string?>("--label") { Description = "A label for people (at most 255 characters); required unless --agent is given." };
        var agent = new Option<string?>("--agent") { Description = "The agent the trace records (its agent_id)." };
        var description = new Option<string?>("--description") { Description = "Free text (at most 1,000 characters)." };
        var tags = new Option<string[]>("--tag") { Description = "A tag for filtering; repeat for several.", Arity = ArgumentArity.ZeroOrMore };
        var metadata = new Option<string?>("--metadata") { Description = "A JSON object stored with the trace, e.g. '{\"customer\":\"acme\"}'." };
        var json = JsonOption();
        var command = new Command("create", "Create an open trace, to which entries are then added with step, event, document and attest. " + ExitCodeHelp)
        {
            label, agent, description, tags, metadata, json,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) => endpoint.RunAsync(parse, console, async client =>
        {
            var request = new CreateTraceRequest
            {
                Label = parse.GetValue(label),
                AgentId = parse.GetValue(agent),
                Description = parse.GetValue(description),
                Tags = parse.GetValue(tags) is { Length: > 0 } t ? [.. t] : null,
                Metadata = parse.GetValue(metadata) is { } text ? JsonArguments.Object(text, "--metadata") : null,
            };
            var trace = await client.Traces.CreateAsync(request, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(TraceDocument.From(trace), CliJsonContext.Output.TraceDocument)).ConfigureAwait(false);
                return ExitCodes.Valid;
            }

            var output = console.Out;
            output.WriteLine($"Created {trace.TraceId} ({trace.Status?.Value})");
            WriteIf(output, "Label", trace.Label);
            WriteIf(output, "Agent", trace.AgentId);
            WriteIf(output, "Created", TraceRow.Time(trace.CreatedAt));
            output.WriteLine($"Add entries with 'traces step {trace.TraceId} …', 'traces event|document|attest … --trace {trace.TraceId}'; " +
                $"then 'traces seal {trace.TraceId} --wait'.");
            return ExitCodes.Valid;
        }));
        return command;
    }

    private static Command Step(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var id = new Argument<string>("trace-id") { Description = "The open trace (tr_…)." };
        var type = new Option<string>("--type")
        {
            Description = "The step type: THOUGHT, ACTION, OBSERVATION, OUTPUT, ERROR or POLICY_CHECK (any case).",
            Required = true,
        };
        var content = new Option<string>("--content") { Description = "What the agent thought, did, saw or said.", Required = true };
        var metadata = new Option<string?>("--metadata") { Description = "A JSON object, e.g. '{\"tool\":\"search\"}'." };
        var json = JsonOption();
        var command = new Command("step", "Add an agent step (entry type agent.step) to an open trace. " + ExitCodeHelp)
        {
            id, type, content, metadata, json,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) => endpoint.RunAsync(parse, console, async client =>
        {
            var traceId = parse.GetRequiredValue(id);
            // Step types are upper case on the wire (Novyx); the service says which ones it accepts.
            var stepType = parse.GetRequiredValue(type).Trim().ToUpperInvariant();
            var request = new AddStepRequest
            {
                Type = new StepType(stepType),
                Content = parse.GetRequiredValue(content),
                Metadata = parse.GetValue(metadata) is { } text ? JsonArguments.Object(text, "--metadata") : null,
            };
            var receipt = await client.Traces.AddStepAsync(traceId, request, cancellationToken).ConfigureAwait(false);
            var entry = EntryDocument.From(traceId, receipt);
            return await WriteEntryAsync(console, parse.GetValue(json), entry, $"agent.step ({stepType})").ConfigureAwait(false);
        }));
        return command;
    }

    private static Command Event(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var type = new Option<string>("--type") { Description = "The event type, e.g. invoice.received.", Required = true };
        var payload = new Option<string?>("--payload") { Description = "The payload: any JSON value, e.g. '{\"invoice\":\"INV-1\",\"amount\":5000}'." };
        var payloadFile = new Option<string?>("--payload-file") { Description = "Read the JSON payload from this file instead." };
        var trace = TraceOption();
        var json = JsonOption();
        var command = new Command("event", "Record an event (any type, any JSON payload) in a trace, or standalone. " + ExitCodeHelp)
        {
            type, payload, payloadFile, trace, json,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            // Read and check the payload before any request: a typo in JSON is unusable input, not a service error.
            var inline = parse.GetValue(payload);
            var file = parse.GetValue(payloadFile);
            var node = (inline, file) switch
            {
                (not null, null) => JsonArguments.Value(inline, "--payload"),
                (null, not null) => JsonArguments.Value(DocumentFiles.ReadAll(file, "payload file"), $"--payload-file '{file}'"),
                (null, null) => throw new CliException("Give the payload with --payload '<json>' or --payload-file <file>."),
                _ => throw new CliException("Give --payload or --payload-file, not both."),
            };
            return endpoint.RunAsync(parse, console, async client =>
            {
                var eventType = parse.GetRequiredValue(type);
                var request = new RecordEventRequest { EventType = eventType, Payload = node, TraceId = parse.GetValue(trace) };
                var receipt = await client.Events.RecordAsync(request, cancellationToken).ConfigureAwait(false);
                return await WriteEntryAsync(console, parse.GetValue(json), EntryDocument.From(receipt), receipt.EventType ?? eventType).ConfigureAwait(false);
            });
        });
        return command;
    }

    private static Command Document(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var file = new Argument<string>("file") { Description = "The document. It is hashed here (SHA-256); only the hash is sent, never the file." };
        var reference = new Option<string?>("--ref") { Description = "Your reference for the document (default: the file name)." };
        var trace = TraceOption();
        var json = JsonOption();
        var command = new Command("document",
            "Anchor a document by its SHA-256 (entry type document.anchored): the file is hashed locally and never leaves this machine. " + ExitCodeHelp)
        {
            file, reference, trace, json,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            DocumentFiles.RequireFile(path, "document");
            var documentRef = parse.GetValue(reference) ?? Path.GetFileName(Path.GetFullPath(path));
            return endpoint.RunAsync(parse, console, async client =>
            {
                Stream stream;
                try
                {
                    stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1,
                        FileOptions.Asynchronous | FileOptions.SequentialScan);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"The document '{path}' cannot be read: {e.Message}", inner: e);
                }

                // The client hashes what it reads and sends only the hash; this stream sees the same bytes, so the
                // digest shown is exactly the one anchored.
                using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var hashing = new ObservedReadStream(stream, (bytes, _) => sha256.AppendData(bytes));
                await using (hashing.ConfigureAwait(false))
                {
                    var receipt = await client.Documents.AnchorFileAsync(hashing, documentRef, parse.GetValue(trace), cancellationToken).ConfigureAwait(false);
                    var digest = Digest.FromBytes(sha256.GetCurrentHash()).ToString();
                    var entry = EntryDocument.From(receipt) with { DocumentHash = digest, DocumentRef = documentRef, DocumentBytes = hashing.Position };
                    return await WriteEntryAsync(console, parse.GetValue(json), entry,
                        $"{receipt.EventType ?? "document.anchored"} ({documentRef}, {hashing.Position:N0} bytes; the file itself was not sent)").ConfigureAwait(false);
                }
            });
        });
        return command;
    }

    private static Command Attest(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var type = new Option<string>("--type") { Description = "The attestation type, e.g. output.", Required = true };
        var input = new Option<string>("--input") { Description = "What the model was given (the prompt).", Required = true };
        var output = new Option<string>("--output") { Description = "What the model produced.", Required = true };
        var provider = new Option<string?>("--model-provider") { Description = "The model provider, e.g. openai." };
        var model = new Option<string?>("--model-name") { Description = "The model, e.g. gpt-4.1." };
        var trace = TraceOption();
        var json = JsonOption();
        var command = new Command("attest", "Record a signed AI attestation (a model's input and output) in a trace, or standalone. " + ExitCodeHelp)
        {
            type, input, output, provider, model, trace, json,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) => endpoint.RunAsync(parse, console, async client =>
        {
            var request = new CreateAttestationRequest
            {
                Type = parse.GetRequiredValue(type),
                Input = parse.GetRequiredValue(input),
                Output = parse.GetRequiredValue(output),
                ModelProvider = parse.GetValue(provider),
                ModelName = parse.GetValue(model),
                TraceId = parse.GetValue(trace),
            };
            var receipt = await client.Attestations.CreateAsync(request, cancellationToken).ConfigureAwait(false);
            var modelText = string.Join('/', new[] { request.ModelProvider, request.ModelName }.Where(v => !string.IsNullOrEmpty(v)));
            return await WriteEntryAsync(console, parse.GetValue(json), EntryDocument.From(receipt),
                $"{receipt.EventType ?? "ai.attestation"} ({request.Type}{(modelText.Length == 0 ? "" : ", " + modelText)})").ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> WriteEntryAsync(ICliConsole console, bool asJson, EntryDocument entry, string what)
    {
        if (asJson)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(entry, CliJsonContext.Output.EntryDocument)).ConfigureAwait(false);
            return ExitCodes.Valid;
        }

        var output = console.Out;
        output.WriteLine(entry.TraceId is null
            ? $"Recorded a standalone entry (no trace): {what}"
            : $"Added entry {entry.Index} to {entry.TraceId}: {what}");
        WriteIf(output, "Event id", entry.EventId);
        WriteIf(output, "Ingested", entry.IngestedAt);
        WriteIf(output, "Document hash", entry.DocumentHash);
        WriteIf(output, "Payload hash", entry.PayloadHash);
        WriteIf(output, "Content hash", entry.ContentHash);
        WriteIf(output, "Chain hash", entry.ChainHash);
        return ExitCodes.Valid;
    }

    private static void WriteIf(TextWriter output, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.WriteLine($"  {name,-15}{value}");
        }
    }
}

/// <summary>JSON given on the command line, checked before anything is sent.</summary>
internal static class JsonArguments
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64 };

    public static JsonNode? Value(string text, string source) => Value(System.Text.Encoding.UTF8.GetBytes(text), source);

    /// <summary>Parses UTF-8 JSON; invalid UTF-8 is a <see cref="JsonException"/> too.</summary>
    public static JsonNode? Value(byte[] utf8, string source)
    {
        try
        {
            return JsonNode.Parse(utf8, documentOptions: s_options);
        }
        catch (JsonException e)
        {
            throw new CliException($"{source} is not JSON: {e.Message}", inner: e);
        }
    }

    public static JsonObject Object(string text, string source) =>
        Value(text, source) as JsonObject ?? throw new CliException($"{source} must be a JSON object ({{…}}).");
}
