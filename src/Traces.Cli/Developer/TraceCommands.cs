using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Traces.Cli.Infrastructure;
using Traces.Cli.Verification;
using Traces.Client.Models;
using Traces.Verification.Bundles;

namespace Traces.Cli.Developer;

/// <summary><c>list</c>, <c>get</c>, <c>seal</c>, <c>proof</c>, <c>public-key</c>: the developer commands against an endpoint.</summary>
internal static class TraceCommands
{
    private const string ExitCodeHelp = "Exit codes: 0 success, 3 unusable input (no endpoint or key, bad arguments), 4 the service returned an error or could not be reached.";

    public static IEnumerable<Command> Create(ICliConsole console)
    {
        yield return List(console);
        yield return Get(console);
        yield return Seal(console);
        yield return Proof(console);
        yield return PublicKey(console);
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (snake_case) instead of a table." };

    private static async Task WriteJsonAsync<T>(TextWriter output, T document, JsonTypeInfo<T> typeInfo)
    {
        await output.WriteLineAsync(JsonSerializer.Serialize(document, typeInfo)).ConfigureAwait(false);
    }

    private static Command List(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var status = new Option<string?>("--status") { Description = "Only traces in this status: open, sealing, sealed or failed." };
        status.AcceptOnlyFromAmong("open", "sealing", "sealed", "failed");
        var limit = new Option<int?>("--limit") { Description = "Page size, 1–100 (service default 25)." };
        var all = new Option<bool>("--all") { Description = "Follow next_cursor through every page." };
        var json = JsonOption();
        var vendor = VendorCommands.VendorOption();
        var tenant = VendorCommands.TenantOption();
        var command = new Command("list", "List the tenant's traces (or a vendor's, with --vendor). " + ExitCodeHelp) { status, limit, all, json, vendor, tenant };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var pageSize = parse.GetValue(limit);
            if (pageSize is < 1 or > 100)
            {
                throw new CliException("--limit must be between 1 and 100.");
            }

            if (parse.GetValue(vendor) is { } v && VendorCommands.IsVendorClient(v))
            {
                if (parse.GetValue(json) || parse.GetValue(status) is not null)
                {
                    throw new CliException("--json and --status apply to the traces and invoance APIs only.");
                }

                return VendorCommands.ListAsync(parse, console, endpoint, v, parse.GetValue(tenant), pageSize, parse.GetValue(all), cancellationToken);
            }

            return ListTracesAsync(parse, console, endpoint, pageSize, cancellationToken);
        });
        return command;

        Task<int> ListTracesAsync(ParseResult parse, ICliConsole console, EndpointOptions endpoint, int? pageSize, CancellationToken cancellationToken) =>
        endpoint.RunAsync(parse, console, parse.GetValue(vendor), async client =>
        {
            var filter = new TraceListFilter
            {
                Status = parse.GetValue(status) is { } s ? new TraceStatus(s) : (TraceStatus?)null,
                Limit = pageSize,
            };
            var rows = new List<TraceSummary>();
            string? more = null;
            bool? hasMore = null;
            long? totalCount = null;
            if (parse.GetValue(all))
            {
                await foreach (var trace in client.Traces.ListAllAsync(filter, cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(trace);
                }
            }
            else
            {
                var page = await client.Traces.ListAsync(filter, cancellationToken).ConfigureAwait(false);
                rows.AddRange(page.Traces ?? []);
                hasMore = page.HasMore;
                totalCount = page.Total;
                if (page.HasMore == true)
                {
                    more = page.Total is { } total
                        ? $"Showing {rows.Count} of {total}; run with --all for every page."
                        : "More traces exist; run with --all for every page.";
                }
            }

            if (parse.GetValue(json))
            {
                await WriteJsonAsync(console.Out, new TraceListDocument([.. rows.Select(TraceRow.From)], rows.Count,
                    parse.GetValue(all) ? false : hasMore, totalCount), CliJsonContext.Output.TraceListDocument).ConfigureAwait(false);
                return ExitCodes.Valid;
            }

            Table.Write(console.Out,
                ["TRACE ID", "STATUS", "ENTRIES", "CREATED", "LABEL"],
                rows.Select(t => new[] { t.TraceId ?? "", t.Status?.Value ?? "", t.EventCount?.ToString(CultureInfo.InvariantCulture) ?? "", Time(t.CreatedAt), t.Label ?? t.AgentId ?? "" }));
            await console.Out.WriteLineAsync($"{rows.Count} trace(s).").ConfigureAwait(false);
            if (more is not null)
            {
                await console.Out.WriteLineAsync(more).ConfigureAwait(false);
            }

            return ExitCodes.Valid;
        });
    }

    private static Command Get(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var id = new Argument<string>("trace-id") { Description = "The trace id (tr_…)." };
        var json = JsonOption();
        var vendor = VendorCommands.VendorOption();
        var tenant = VendorCommands.TenantOption();
        var outFile = new Option<string?>("--out")
        {
            Description = "Write the trace to this file: with a vendor, its document exactly as the server sent it (bytes); otherwise the --json document.",
        };
        var command = new Command("get", "Show one trace and its entries (or write a vendor's trace document with --vendor). " + ExitCodeHelp) { id, json, vendor, tenant, outFile };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) => parse.GetValue(vendor) is { } v && VendorCommands.IsVendorClient(v)
            ? VendorCommands.GetAsync(parse, console, endpoint, v, parse.GetValue(tenant), parse.GetRequiredValue(id), parse.GetValue(outFile), cancellationToken)
            : endpoint.RunAsync(parse, console, parse.GetValue(vendor), async client =>
        {
            var trace = await client.Traces.GetAsync(parse.GetRequiredValue(id), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(outFile) is { } path)
            {
                await WriteDocumentAsync(console, path, TraceDocument.From(trace), CliJsonContext.Output.TraceDocument, cancellationToken).ConfigureAwait(false);
                await console.Out.WriteLineAsync($"Wrote {path}.").ConfigureAwait(false);
                return ExitCodes.Valid;
            }

            if (parse.GetValue(json))
            {
                await WriteJsonAsync(console.Out, TraceDocument.From(trace), CliJsonContext.Output.TraceDocument).ConfigureAwait(false);
                return ExitCodes.Valid;
            }

            var output = console.Out;
            output.WriteLine($"Trace           {trace.TraceId}");
            WriteIf(output, "Label", trace.Label);
            WriteIf(output, "Agent", trace.AgentId);
            output.WriteLine($"Status          {trace.Status?.Value}");
            output.WriteLine($"Entries         {trace.EventCount}");
            output.WriteLine($"Created         {Time(trace.CreatedAt)}");
            WriteIf(output, "Sealed", trace.SealedAt is null ? null : Time(trace.SealedAt));
            WriteIf(output, "Composite hash", trace.CompositeHash);
            WriteIf(output, "Root hash", trace.IntegrityRootHash);
            WriteIf(output, "Seal event", trace.SealEventId);
            if (trace.Error is { } error)
            {
                output.WriteLine($"Error           {error.Code}: {error.Message}");
            }

            if (trace.Events is { Count: > 0 } events)
            {
                output.WriteLine();
                Table.Write(output, ["#", "EVENT ID", "TYPE", "INGESTED", "CONTENT HASH"],
                    events.Select(e => new[] { e.Index?.ToString(CultureInfo.InvariantCulture) ?? "", e.EventId ?? "", e.EventType ?? "", PreciseTime(e.IngestedAt), e.ContentHash ?? "" }));
            }

            return ExitCodes.Valid;
        }));
        return command;
    }

    private static Command Seal(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var id = new Argument<string>("trace-id") { Description = "The trace to seal (permanent; no entries are accepted afterwards)." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the trace is sealed (or sealing fails)." };
        var command = new Command("seal", "Seal a trace: the service computes the composite hash, signs the seal event and issues the certificate. " + ExitCodeHelp)
        {
            id, wait,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) => endpoint.RunAsync(parse, console, async client =>
        {
            var traceId = parse.GetRequiredValue(id);
            var operation = await client.Traces.SealAsync(traceId, cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(wait))
            {
                await console.Out.WriteLineAsync($"Sealing {traceId} started (status {operation.InitialResponse?.Status?.Value ?? "sealing"}). " +
                    $"Wait with 'traces seal {traceId} --wait'.").ConfigureAwait(false);
                return ExitCodes.Valid;
            }

            var trace = await operation.WaitForCompletionAsync(null, cancellationToken).ConfigureAwait(false);
            var output = console.Out;
            output.WriteLine($"Sealed {trace.TraceId}");
            output.WriteLine($"  Entries         {trace.EventCount}");
            output.WriteLine($"  Composite hash  {trace.CompositeHash}");
            output.WriteLine($"  Root hash       {trace.IntegrityRootHash}");
            output.WriteLine($"  Sealed at       {Time(trace.SealedAt)}");
            return ExitCodes.Valid;
        }));
        return command;
    }

    private static Command Proof(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var id = new Argument<string>("trace-id") { Description = "A sealed trace." };
        var output = new Option<string?>("--out") { Description = "Write the bundle to this file (default: standard output)." };
        var command = new Command("proof", "Download the proof bundle of a sealed trace, to verify offline with 'traces verify'. " + ExitCodeHelp)
        {
            id, output,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) => endpoint.RunAsync(parse, console, async client =>
        {
            var bundle = await client.Traces.GetProofAsync(parse.GetRequiredValue(id), cancellationToken).ConfigureAwait(false);
            var path = parse.GetValue(output);
            await WriteDocumentAsync(console, path, bundle, TracesJsonContext.Default.ProofBundle, cancellationToken).ConfigureAwait(false);
            if (path is not null)
            {
                await console.Out.WriteLineAsync($"Wrote {path}: trace {bundle.TraceId}, {bundle.EventCount} entries, composite {bundle.CompositeHash}.").ConfigureAwait(false);
                await console.Out.WriteLineAsync($"Verify it offline: traces verify {path} --trust <keys obtained out of band>").ConfigureAwait(false);
            }

            return ExitCodes.Valid;
        }));
        return command;
    }

    private static Command PublicKey(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var output = new Option<string?>("--out") { Description = "Write the key set to this file (default: standard output)." };
        var command = new Command("public-key",
            "Download the service's published keys (GET /v1/traces/public-key), usable with --trust. Publishing is not " +
            "trusting: compare the key ids with ones obtained out of band before pinning them. " + ExitCodeHelp)
        {
            output,
        };
        endpoint.AddTo(command);
        command.SetAction((parse, cancellationToken) => endpoint.RunAsync(parse, console, async client =>
        {
            var keys = await client.Traces.GetPublicKeysAsync(cancellationToken).ConfigureAwait(false);
            var path = parse.GetValue(output);
            await WriteDocumentAsync(console, path, keys, TracesJsonContext.Default.PublishedKeySet, cancellationToken).ConfigureAwait(false);
            if (path is not null)
            {
                await console.Out.WriteLineAsync($"Wrote {path}:").ConfigureAwait(false);
                foreach (var key in keys.Keys ?? [])
                {
                    await console.Out.WriteLineAsync($"  {key.KeyId}  {key.Algorithm}  {key.Use}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Valid;
        }, requireKey: false));
        return command;
    }

    private static async Task WriteDocumentAsync<T>(ICliConsole console, string? path, T document, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        // Indented and with non-ASCII kept as is; still the same JSON values, and every hash is over the RFC 8785
        // form of the values, never over this file's text.
        var options = new JsonSerializerOptions(type.Options) { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var indented = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        if (path is null)
        {
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(document, indented)).ConfigureAwait(false);
            return;
        }

        try
        {
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, document, indented, cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write '{path}': {e.Message}", inner: e);
        }
    }

    private static void WriteIf(TextWriter output, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            output.WriteLine($"{name,-16}{value}");
        }
    }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    // Entry times as the proof format writes them (§3.2: six fractional digits), so they can be compared with a bundle.
    private static string PreciseTime(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) ?? "";
}
