using System.Globalization;
using Traces.LocalServer.Errors;

namespace Traces.LocalServer.Api;

/// <summary>Query parameters that are integers in a range (docs/api.md "Limits"): <c>page</c>, <c>limit</c>, <c>event_page</c>, <c>event_limit</c>.</summary>
internal static class Paging
{
    public const int MaxPage = 1_000_000;

    public static int Parse(string name, string? value, int min, int max, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw ApiException.Validation(name, $"must be an integer from {min} to {max}");
    }
}
