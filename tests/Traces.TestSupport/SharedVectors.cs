namespace Traces.TestSupport;

/// <summary>
/// Locates the read-only conformance data in <c>../shared/vectors</c> (beside the repository root)
/// and the project's own vectors in <c>docs/test-vectors</c>, from wherever the test binary runs.
/// </summary>
public static class SharedVectors
{
    private static readonly Lazy<string> s_sharedRoot = new(() => FindUpwards(Path.Combine("shared", "vectors")));
    private static readonly Lazy<string> s_repoRoot = new(() => Path.GetDirectoryName(FindUpwards("Traces.Client.sln"))!);

    /// <summary>The <c>shared/vectors</c> folder.</summary>
    public static string Root => s_sharedRoot.Value;

    /// <summary>The repository root (the folder holding <c>Traces.Client.sln</c>).</summary>
    public static string RepositoryRoot => s_repoRoot.Value;

    /// <summary>A path below <c>shared/vectors</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A path below <c>docs/test-vectors</c>.</summary>
    public static string OwnVector(params string[] parts) => Path.Combine([RepositoryRoot, "docs", "test-vectors", .. parts]);

    private static string FindUpwards(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate) || File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"'{relative}' was not found above {AppContext.BaseDirectory}. The tests expect the shared/ folder beside the repository.");
    }
}
