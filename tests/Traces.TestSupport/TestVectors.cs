namespace Traces.TestSupport;

/// <summary>
/// Locates the conformance data kept in the repository, from wherever the test binary runs: the public vectors of
/// others in <c>tests/vectors</c> (each folder with its <c>SOURCE.md</c>) and the project's own traces/v1 vectors in
/// <c>docs/test-vectors</c>. A clone needs nothing beside it.
/// </summary>
public static class TestVectors
{
    private static readonly Lazy<string> s_repoRoot = new(() => Path.GetDirectoryName(FindUpwards("Traces.Client.sln"))!);

    /// <summary>The repository root (the folder holding <c>Traces.Client.sln</c>).</summary>
    public static string RepositoryRoot => s_repoRoot.Value;

    /// <summary>The <c>tests/vectors</c> folder.</summary>
    public static string Root => Path.Combine(RepositoryRoot, "tests", "vectors");

    /// <summary>A path below <c>tests/vectors</c> (public data: RFC 8785, Merkle, Wycheproof, vendors).</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A path below <c>docs/test-vectors</c> (the project's own traces/v1 vectors).</summary>
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

        throw new DirectoryNotFoundException($"'{relative}' was not found above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
    }
}
