using System.Globalization;
using System.Text;

namespace Traces.Client.Vendors.Http;

/// <summary>A query string in the order its parameters were added, each name and value percent-encoded (RFC 3986 §3.4).</summary>
internal sealed class VendorQuery
{
    private readonly List<KeyValuePair<string, string>> _parameters = [];

    public IReadOnlyList<KeyValuePair<string, string>> Parameters => _parameters;

    public VendorQuery Add(string name, string? value)
    {
        if (value is not null)
        {
            _parameters.Add(new(name, value));
        }

        return this;
    }

    public VendorQuery Add(string name, long? value) =>
        Add(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>An instant as ISO 8601 UTC with milliseconds (<c>2026-03-21T10:00:00.000Z</c>), the form JavaScript's <c>Date</c> and Python's <c>fromisoformat</c> both read.</summary>
    public VendorQuery Add(string name, DateTimeOffset? value) =>
        Add(name, value is { } v ? FormatInstant(v) : null);

    public static string FormatInstant(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in _parameters)
        {
            builder.Append(builder.Length == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(name))
                .Append('=')
                .Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
