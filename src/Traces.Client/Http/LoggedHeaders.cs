using System.Collections.Frozen;
using System.Text;

namespace Traces.Client.Http;

/// <summary>
/// Which header values may appear in logs: a safe list, not a deny list. A header the list does not name is logged as
/// <c>[REDACTED]</c> whatever it is called, so a credential in a header nobody thought of (a proxy's, or a hostile or
/// misconfigured server echoing the API key back) never reaches a log. A safe header whose value holds the API key is
/// redacted too: the server chooses response values, and a name proves nothing about them.
/// </summary>
internal static class LoggedHeaders
{
    internal const string Redacted = "[REDACTED]";

    // Framing, content negotiation, correlation and retry hints: what a person reading a log needs, none of it secret.
    private static readonly FrozenSet<string> s_safe = new[]
    {
        "Accept", "Accept-Encoding", "Allow", "Cache-Control", "Connection", "Content-Encoding", "Content-Length",
        "Content-Type", "Date", "Idempotency-Key", "Idempotent-Replayed", "Location", "Retry-After", "Server",
        "traceparent", "tracestate", "Transfer-Encoding", "User-Agent", "Vary", TracesCallHandler.RequestIdHeader,
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsSafe(string name) => s_safe.Contains(name);

    /// <summary><c>name: value; </c> for each header, values redacted unless safe (see the class remarks).</summary>
    public static string Format(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, string? apiKey)
    {
        var builder = new StringBuilder();
        foreach (var (name, values) in headers)
        {
            var value = string.Join(",", values);
            var clear = IsSafe(name) && (string.IsNullOrEmpty(apiKey) || !value.Contains(apiKey, StringComparison.Ordinal));
            builder.Append(name).Append(": ").Append(clear ? value : Redacted).Append("; ");
        }

        return builder.ToString();
    }
}
