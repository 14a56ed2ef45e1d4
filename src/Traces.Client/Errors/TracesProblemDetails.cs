using Traces.Client.Models;

namespace Traces.Client.Errors;

/// <summary>An RFC 7807 problem body as the Traces API returns it (docs/api.md, Errors).</summary>
public sealed class TracesProblemDetails : TracesModel
{
    /// <summary>A URI naming the problem type, e.g. <c>urn:traces:error:trace_sealed</c>.</summary>
    public string? Type { get; set; }

    /// <summary>A short summary.</summary>
    public string? Title { get; set; }

    /// <summary>The HTTP status.</summary>
    public int? Status { get; set; }

    /// <summary>A human-readable explanation.</summary>
    public string? Detail { get; set; }

    /// <summary>The request path the problem occurred on.</summary>
    public string? Instance { get; set; }

    /// <summary>The stable error code clients branch on.</summary>
    public string? Code { get; set; }

    /// <summary>The request id (also in <c>x-request-id</c>).</summary>
    public string? RequestId { get; set; }

    /// <summary>Field → messages; present on validation failures only.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors { get; set; }
}
