namespace Traces.Cli.Infrastructure;

/// <summary>
/// The nearest known name to a mistyped command or option: by optimal string alignment distance (a transposition
/// counts as one edit), or as the unique name the typed text begins.
/// </summary>
internal static class CommandSuggestions
{
    public static string? Nearest(string typed, IEnumerable<string> names)
    {
        var candidates = names.Distinct(StringComparer.Ordinal).ToList();
        var best = candidates
            .Select(name => (Name: name, Distance: Distance(typed.ToLowerInvariant(), name)))
            .Where(c => c.Distance <= Math.Max(1, Math.Min(3, c.Name.Length / 3)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.Name is not null)
        {
            return best.Name;
        }

        var prefixed = candidates.Where(n => typed.Length >= 3 && n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>Optimal string alignment distance (restricted Damerau–Levenshtein).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
