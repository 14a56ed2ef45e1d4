namespace Traces.Benchmarks;

/// <summary>The machine's load average, printed next to every figure (benchmarks/README.md: figures are only comparable at a known load).</summary>
internal static class LoadAverage
{
    /// <summary><c>/proc/loadavg</c> as it reads, or only its first <paramref name="fields"/> fields; "n/a" where there is none.</summary>
    public static string Read(int fields = int.MaxValue)
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Trim().Split(' ').Take(fields));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "n/a";
        }
    }
}
