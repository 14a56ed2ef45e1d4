using System.CommandLine;
using System.Globalization;
using Traces.Cli.Infrastructure;
using Traces.Client.Errors;
using Traces.Client.Vendors;
using Traces.Client.Vendors.Novyx;
using Traces.Client.Vendors.SidClaw;
using Traces.Client.Vendors.StateBase;
using Traces.Client.Vendors.ZenMesh;

namespace Traces.Cli.Developer;

/// <summary>
/// <c>--vendor</c> for <c>list</c> and <c>get</c>, and <c>export</c>: the same commands against the vendors' own APIs
/// through Traces.Client's vendor clients (docs/vendors.md). <c>--endpoint</c> and <c>--api-key</c> override each
/// vendor's base URL and key variables; the key is never printed.
/// </summary>
internal static class VendorCommands
{
    public const string Traces = "traces";
    public const string Invoance = "invoance";
    public const string Novyx = "novyx";
    public const string SidClaw = "sidclaw";
    public const string ZenMesh = "zenmesh";
    public const string StateBase = "statebase";

    /// <summary>Invoance's API (tests/vectors/invoance/FACTS.md: base <c>https://api.invoance.com/v1</c>, Bearer).</summary>
    public static readonly Uri InvoanceBaseUrl = new("https://api.invoance.com");

    public const string InvoanceBaseUrlVariable = "INVOANCE_BASE_URL";
    public const string InvoanceApiKeyVariable = "INVOANCE_API_KEY";

    public static Option<string?> VendorOption() => new Option<string?>("--vendor")
    {
        Description = "Whose API: traces (this project's, the default), invoance, novyx, sidclaw, zenmesh or statebase. " +
            "Keys come from --api-key or the vendor's variable (NOVYX_API_KEY, SIDCLAW_API_KEY, ZEN_API_KEY, STATEBASE_API_KEY, INVOANCE_API_KEY).",
    }.AcceptOnlyFromAmong(Traces, Invoance, Novyx, SidClaw, ZenMesh, StateBase);

    public static Option<string?> TenantOption() => new("--tenant") { Description = "Zen-mesh tenant (default: $ZEN_TENANT_ID)." };

    /// <summary>True when the vendor is served by a vendor client rather than TracesClient.</summary>
    public static bool IsVendorClient(string? vendor) => vendor is Novyx or SidClaw or ZenMesh or StateBase;

    public static async Task<int> ListAsync(ParseResult parse, ICliConsole console, EndpointOptions endpoint, string vendor, string? tenant, int? limit, bool all, CancellationToken cancellationToken)
    {
        var apiKey = parse.GetValue(endpoint.ApiKeyOption);
        return await RunAsync(console, apiKey, async () =>
        {
            var rows = new List<string[]>();
            string[] headers;
            bool? more = null;
            switch (vendor)
            {
                case Novyx:
                {
                    headers = ["TRACE ID", "STATUS", "CREATED", "AGENT"];
                    using var client = new NovyxClient(Options(new NovyxClientOptions(), parse, endpoint));
                    var filter = new NovyxTraceListFilter { Limit = limit };
                    IEnumerable<NovyxTrace> traces;
                    if (all)
                    {
                        traces = await Collect(client.ListAllTracesAsync(filter, cancellationToken)).ConfigureAwait(false);
                    }
                    else
                    {
                        var page = await client.ListTracesAsync(filter, cancellationToken).ConfigureAwait(false);
                        traces = page.Traces ?? [];
                        more = page.Total is { } total && total > traces.Count();
                    }

                    rows.AddRange(traces.Select(t => new[] { t.TraceId ?? "", t.Status ?? "", Time(t.CreatedAt), t.AgentId ?? "" }));
                    break;
                }

                case SidClaw:
                {
                    headers = ["TRACE ID", "OUTCOME", "STARTED", "OPERATION", "EVENTS"];
                    using var client = new SidClawClient(Options(new SidClawClientOptions(), parse, endpoint));
                    var filter = new SidClawTraceListFilter { Limit = limit };
                    IEnumerable<SidClawTraceSummary> traces;
                    if (all)
                    {
                        traces = await Collect(client.ListAllTracesAsync(filter, cancellationToken)).ConfigureAwait(false);
                    }
                    else
                    {
                        var page = await client.ListTracesAsync(filter, cancellationToken).ConfigureAwait(false);
                        traces = page.Data ?? [];
                        more = page.Pagination?.Total is { } total && total > traces.Count();
                    }

                    rows.AddRange(traces.Select(t => new[]
                    {
                        t.Id ?? "", t.FinalOutcome ?? "", Time(t.StartedAt), $"{t.RequestedOperation} {t.TargetIntegration}".Trim(),
                        t.EventCount?.ToString(CultureInfo.InvariantCulture) ?? "",
                    }));
                    break;
                }

                case ZenMesh:
                {
                    headers = ["DELIVERY ID", "STATUS", "ATTEMPTED", "EVENT", "ATTEMPT"];
                    using var client = new ZenMeshClient(Options(new ZenMeshClientOptions { TenantId = tenant }, parse, endpoint));
                    var filter = new ZenMeshDeliveryFilter { Limit = limit };
                    IEnumerable<ZenMeshDelivery> deliveries;
                    if (all)
                    {
                        deliveries = await Collect(client.ListAllDeliveriesAsync(filter, cancellationToken)).ConfigureAwait(false);
                    }
                    else
                    {
                        var page = await client.ListDeliveriesAsync(filter, cancellationToken).ConfigureAwait(false);
                        deliveries = page.Deliveries ?? [];
                        more = !string.IsNullOrEmpty(page.NextCursor);
                    }

                    rows.AddRange(deliveries.Select(d => new[]
                    {
                        d.Id ?? "", d.Status ?? "", Time(d.AttemptedAt ?? d.CreatedAt), d.EventId ?? "", d.AttemptNumber?.ToString(CultureInfo.InvariantCulture) ?? "",
                    }));
                    break;
                }

                default:
                {
                    headers = ["TRACE ID", "ACTION", "TIMESTAMP", "SESSION"];
                    using var client = new StateBaseClient(Options(new StateBaseClientOptions(), parse, endpoint));
                    var filter = new StateBaseTraceListFilter { Limit = limit };
                    IEnumerable<StateBaseTrace> traces;
                    if (all)
                    {
                        traces = await Collect(client.ListAllTracesAsync(filter, cancellationToken)).ConfigureAwait(false);
                    }
                    else
                    {
                        var page = await client.ListTracesAsync(filter, cancellationToken).ConfigureAwait(false);
                        traces = page.Data ?? [];
                        more = page.HasMore;
                    }

                    rows.AddRange(traces.Select(t => new[] { t.Id ?? "", t.Action ?? "", Time(t.Timestamp), t.SessionId ?? "" }));
                    break;
                }
            }

            Table.Write(console.Out, headers, rows);
            await console.Out.WriteLineAsync($"{rows.Count} item(s).").ConfigureAwait(false);
            if (more == true)
            {
                await console.Out.WriteLineAsync("More exist; run with --all for every page.").ConfigureAwait(false);
            }

            return ExitCodes.Valid;
        }).ConfigureAwait(false);
    }

    /// <summary>Writes the vendor's trace document exactly as its server sent it (bytes), to a file or standard output.</summary>
    public static async Task<int> GetAsync(ParseResult parse, ICliConsole console, EndpointOptions endpoint, string vendor, string? tenant, string id, string? outPath, CancellationToken cancellationToken)
    {
        var apiKey = parse.GetValue(endpoint.ApiKeyOption);
        return await RunAsync(console, apiKey, async () =>
        {
            byte[] document;
            switch (vendor)
            {
                case Novyx:
                {
                    using var client = new NovyxClient(Options(new NovyxClientOptions(), parse, endpoint));
                    document = await client.GetTraceDocumentAsync(id, cancellationToken).ConfigureAwait(false);
                    break;
                }

                case SidClaw:
                {
                    using var client = new SidClawClient(Options(new SidClawClientOptions(), parse, endpoint));
                    document = await client.GetTraceDocumentAsync(id, cancellationToken).ConfigureAwait(false);
                    break;
                }

                case ZenMesh:
                {
                    // A Zen-mesh trace is the delivery trace of an event: the id is the event's.
                    using var client = new ZenMeshClient(Options(new ZenMeshClientOptions { TenantId = tenant }, parse, endpoint));
                    document = await client.GetDeliveryTraceDocumentAsync(id, cancellationToken).ConfigureAwait(false);
                    break;
                }

                default:
                {
                    using var client = new StateBaseClient(Options(new StateBaseClientOptions(), parse, endpoint));
                    document = await client.GetTraceDocumentAsync(id, cancellationToken).ConfigureAwait(false);
                    break;
                }
            }

            if (outPath is null)
            {
                await console.Out.WriteLineAsync(System.Text.Encoding.UTF8.GetString(document)).ConfigureAwait(false);
                return ExitCodes.Valid;
            }

            await WriteFileAsync(outPath, async stream => await stream.WriteAsync(document, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"Wrote {outPath} ({document.Length} bytes, as the server sent them).").ConfigureAwait(false);
            return ExitCodes.Valid;
        }).ConfigureAwait(false);
    }

    /// <summary><c>export --vendor sidclaw --from --to [--format json|csv] --out FILE</c>: the SIEM audit export, streamed to a file.</summary>
    public static Command Export(ICliConsole console)
    {
        var endpoint = new EndpointOptions();
        var vendor = new Option<string>("--vendor") { Description = "Whose export: sidclaw (the SIEM audit export, GET /api/v1/audit/export).", Required = true };
        vendor.AcceptOnlyFromAmong(SidClaw);
        var from = new Option<DateTimeOffset>("--from") { Description = "Events at or after this instant (ISO 8601).", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "Events at or before this instant (ISO 8601).", Required = true };
        var format = new Option<string>("--format") { Description = "json (default) or csv.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "csv");
        var output = new Option<string>("--out") { Description = "The file to write (streamed: never held in memory whole).", Required = true };
        var command = new Command("export",
            "Stream a vendor's bulk audit export to a file, byte for byte as the server sends it. The SidClaw audit export " +
            "needs a key with the admin scope. Exit codes: 0 success, 3 unusable input, 4 the service returned an error, could " +
            "not be reached, or the export ended before the rows its x-total-count announced.")
        {
            vendor, from, to, format, output,
        };
        endpoint.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var apiKey = parse.GetValue(endpoint.ApiKeyOption);
            var path = parse.GetRequiredValue(output);
            return await RunAsync(console, apiKey, async () =>
            {
                using var client = new SidClawClient(Options(new SidClawClientOptions(), parse, endpoint));
                var exportFormat = parse.GetValue(format) == "csv" ? SidClawExportFormat.Csv : SidClawExportFormat.Json;
                await using var export = await client.ExportAuditEventsAsync(parse.GetRequiredValue(from), parse.GetRequiredValue(to), exportFormat, cancellationToken).ConfigureAwait(false);
                long bytes = 0;
                await WriteFileAsync(path, async stream => bytes = await export.CopyToAsync(stream, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                await console.Out.WriteLineAsync(
                    $"Wrote {path} ({bytes} bytes, {(export.TotalCount is { } n ? n.ToString(CultureInfo.InvariantCulture) : "an unannounced number of")} events, {exportFormat.ToString().ToLowerInvariant()}).")
                    .ConfigureAwait(false);
                return ExitCodes.Valid;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static T Options<T>(T options, ParseResult parse, EndpointOptions endpoint)
        where T : VendorClientOptions
    {
        if (parse.GetValue(endpoint.EndpointOption) is { } text)
        {
            if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new CliException($"The endpoint '{text}' is not an absolute http(s) URL.");
            }

            options.BaseUrl = url;
        }

        options.ApiKey = parse.GetValue(endpoint.ApiKeyOption);
        return options;
    }

    private static async Task<int> RunAsync(ICliConsole console, string? apiKey, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (TracesApiException e)
        {
            var code = e.ErrorCode ?? (e.Status == 0 ? "network_error" : $"http_{e.Status}");
            await console.Error.WriteLineAsync(EndpointOptions.Redact($"error: {code}: {e.Message}", apiKey)).ConfigureAwait(false);
            return ExitCodes.ServiceError;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // A vendor option that cannot be used (no Zen-mesh tenant, a bad base URL variable, a key that cannot be sent).
            throw new CliException(EndpointOptions.Redact(e.Message, apiKey), inner: e);
        }
    }

    private static async Task WriteFileAsync(string path, Func<Stream, Task> write)
    {
        try
        {
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            try
            {
                await using (stream.ConfigureAwait(false))
                {
                    await write(stream).ConfigureAwait(false);
                }
            }
            catch (TracesApiException)
            {
                // An export that broke off leaves no partial file that could pass for a whole one.
                File.Delete(path);
                throw;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write '{path}': {e.Message}", inner: e);
        }
    }

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items.ConfigureAwait(false))
        {
            list.Add(item);
        }

        return list;
    }

    private static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";
}
