namespace Traces.Client.Http;

/// <summary>
/// A method and path the client sends without Refit (<see cref="ClientCore.SendAsync"/>, issue 14 "A lean call"): the
/// calls an agent makes per step. Every such request is built from one of <see cref="All"/>, so the paths the client
/// can call are the Refit interface's (<see cref="ITracesApi"/>) and these, and nothing else: InvoanceWireTests checks
/// the union against Invoance's paths and the marked extensions.
/// </summary>
internal sealed class ClientRoute
{
    private const string TraceIdVariable = "{traceId}";

    private readonly string _prefix;
    private readonly string _suffix;

    private ClientRoute(HttpMethod method, string template)
    {
        Method = method;
        Template = template;
        var at = template.IndexOf(TraceIdVariable, StringComparison.Ordinal);
        _prefix = template[..at];
        _suffix = template[(at + TraceIdVariable.Length)..];
    }

    /// <summary><c>GET /v1/traces/{traceId}</c>: a trace with a page of its entries (GetAsync, GetEventPageAsync, the seal poll).</summary>
    public static ClientRoute GetTrace { get; } = new(HttpMethod.Get, "/v1/traces/{traceId}");

    /// <summary><c>POST /v1/traces/{traceId}/steps</c>: an agent step (AddStepAsync; Novyx's path, an extension of Invoance's API).</summary>
    public static ClientRoute AddStep { get; } = new(HttpMethod.Post, "/v1/traces/{traceId}/steps");

    /// <summary>Every route the client sends by hand.</summary>
    public static IReadOnlyList<ClientRoute> All { get; } = [GetTrace, AddStep];

    public HttpMethod Method { get; }

    /// <summary>The path with its variable, as the Refit interface writes its paths.</summary>
    public string Template { get; }

    /// <summary>The path for <paramref name="traceId"/>, escaped as a data string (as Refit escapes a path parameter).</summary>
    public string PathFor(string traceId) => string.Concat(_prefix, Uri.EscapeDataString(traceId), _suffix);
}
