using System.CommandLine;
using Traces.Cli.Infrastructure;
using Traces.Client;
using Traces.Client.Errors;

namespace Traces.Cli.Developer;

/// <summary>
/// <c>--endpoint</c> and <c>--api-key</c> (or <c>TRACES_ENDPOINT</c> / <c>TRACES_API_KEY</c>), the client they make,
/// and the one place API failures become exit code 4. The API key is never printed: every message that reaches the
/// console passes <see cref="Redact"/>.
/// </summary>
internal sealed class EndpointOptions
{
    private readonly Option<string?> _endpoint = new("--endpoint")
    {
        Description = $"The Traces API base address (default: ${TracesClientOptions.EndpointEnvironmentVariable}).",
    };

    private readonly Option<string?> _apiKey = new("--api-key")
    {
        Description = $"The API key (default: ${TracesClientOptions.ApiKeyEnvironmentVariable}). Never printed.",
    };

    /// <summary><c>--endpoint</c>.</summary>
    public Option<string?> EndpointOption => _endpoint;

    /// <summary><c>--api-key</c>.</summary>
    public Option<string?> ApiKeyOption => _apiKey;

    public void AddTo(Command command)
    {
        command.Add(_endpoint);
        command.Add(_apiKey);
    }

    /// <summary>Runs <paramref name="action"/> with a client; API failures print the service's code and message and exit 4.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="console">Where messages go.</param>
    /// <param name="action">The command's work.</param>
    /// <param name="requireKey">False only for the unauthenticated <c>GET /v1/traces/public-key</c>.</param>
    public Task<int> RunAsync(ParseResult parse, ICliConsole console, Func<TracesClient, Task<int>> action, bool requireKey = true) =>
        RunAsync(parse, console, vendor: null, (client, _) => action(client), requireKey);

    /// <summary>As <see cref="RunAsync(ParseResult, ICliConsole, Func{TracesClient, Task{int}}, bool)"/>, also handing over the endpoint used.</summary>
    public Task<int> RunAsync(ParseResult parse, ICliConsole console, Func<TracesClient, Uri, Task<int>> action) =>
        RunAsync(parse, console, vendor: null, action);

    /// <summary>
    /// As <see cref="RunAsync(ParseResult, ICliConsole, Func{TracesClient, Task{int}}, bool)"/>; with <c>--vendor invoance</c>
    /// the endpoint defaults to Invoance's API (or <c>INVOANCE_BASE_URL</c>), the key to <c>INVOANCE_API_KEY</c>, sent as
    /// <c>Authorization: Bearer</c> as Invoance's SDKs send it.
    /// </summary>
    public Task<int> RunAsync(ParseResult parse, ICliConsole console, string? vendor, Func<TracesClient, Task<int>> action) =>
        RunAsync(parse, console, vendor, (client, _) => action(client));

    /// <summary>The one implementation of the overloads above.</summary>
    private async Task<int> RunAsync(ParseResult parse, ICliConsole console, string? vendor, Func<TracesClient, Uri, Task<int>> action, bool requireKey = true)
    {
        var invoance = vendor == VendorCommands.Invoance;
        var endpointText = parse.GetValue(_endpoint) ?? (invoance
            ? console.GetEnvironmentVariable(VendorCommands.InvoanceBaseUrlVariable)?.Replace("/v1", "", StringComparison.Ordinal) ?? VendorCommands.InvoanceBaseUrl.ToString()
            : console.GetEnvironmentVariable(TracesClientOptions.EndpointEnvironmentVariable));
        if (string.IsNullOrWhiteSpace(endpointText))
        {
            throw new CliException($"No endpoint: pass --endpoint <url> or set {TracesClientOptions.EndpointEnvironmentVariable} (for a local server, run 'traces serve').");
        }

        if (!Uri.TryCreate(endpointText.Trim(), UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new CliException($"The endpoint '{endpointText}' is not an absolute http(s) URL.");
        }

        var keyVariable = invoance ? VendorCommands.InvoanceApiKeyVariable : TracesClientOptions.ApiKeyEnvironmentVariable;
        var apiKey = parse.GetValue(_apiKey) ?? console.GetEnvironmentVariable(keyVariable);
        if (requireKey && string.IsNullOrWhiteSpace(apiKey))
        {
            // Said before any request: the service's 401 would not say where the key was expected.
            throw new CliException($"No API key: pass --api-key <key> or set {keyVariable}" + (invoance ? "." :
                " (for a local server started with 'traces serve', the key is in <data directory>/api-key)."));
        }

        TracesClient client;
        try
        {
            client = new TracesClient(new TracesClientOptions
            {
                Endpoint = endpoint,
                ApiKey = apiKey,
                AuthHeaderStyle = invoance ? TracesAuthHeaderStyle.Bearer : TracesAuthHeaderStyle.ApiKeyHeader,
            });
        }
        catch (ArgumentException e)
        {
            // A key that cannot be sent (a line break in it) is refused by the client before anything is sent.
            throw new CliException(Redact(e.Message, apiKey));
        }

        using var owned = client;
        try
        {
            return await action(client, endpoint).ConfigureAwait(false);
        }
        catch (TracesApiException e)
        {
            var code = e.ErrorCode ?? (e.Status == 0 ? "network_error" : $"http_{e.Status}");
            await console.Error.WriteLineAsync(Redact($"error: {code}: {e.Message}", apiKey)).ConfigureAwait(false);
            return ExitCodes.ServiceError;
        }
    }

    /// <summary>Removes the API key from text that is about to be printed (defence in depth: no message should hold it).</summary>
    public static string Redact(string text, string? apiKey) =>
        string.IsNullOrEmpty(apiKey) ? text : text.Replace(apiKey, "***", StringComparison.Ordinal);
}
