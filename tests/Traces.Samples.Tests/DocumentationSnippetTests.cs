using System.Text.RegularExpressions;

namespace Traces.Samples.Tests;

/// <summary>
/// The guides promise that every C# block is taken from a sample that compiles and runs: each line of each
/// <c>```csharp</c> block must appear, as written, in a sample's source.
/// </summary>
public sealed partial class DocumentationSnippetTests
{
    public static TheoryData<string> Documents => new() { "README.md", "docs/getting-started.md", "docs/resilience.md" };

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryCSharpLine_AppearsInASample(string document)
    {
        var root = RepositoryRoot();
        var sampleLines = Directory.EnumerateFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Select(line => line.Trim())
            .ToHashSet(StringComparer.Ordinal);

        var blocks = CSharpBlock().Matches(File.ReadAllText(Path.Combine(root, document)));
        Assert.NotEmpty(blocks);
        var missing = blocks
            .SelectMany(block => block.Groups["code"].Value.Split('\n'))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !sampleLines.Contains(line))
            .ToList();

        Assert.True(missing.Count == 0, $"{document}: lines not found in samples/**/*.cs:\n{string.Join('\n', missing)}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Traces.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Traces.Client.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^[ \t]*```csharp[ \t]*\r?\n(?<code>.*?)^[ \t]*```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();
}
