using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Traces.Samples.Tests;

/// <summary>
/// Every C# block of the README, the package READMEs and <c>docs/</c> compiles as printed: each block is a whole
/// <c>Program.cs</c> (or a whole class file) of a project made with <c>dotnet new console</c> (net10.0, implicit usings
/// and nullable on), with the Traces packages, ASP.NET Core and xunit.v3 referenced. No warnings either. A block
/// preceded by <c>&lt;!-- snippet: run [args…] --&gt;</c> is also run (arguments naming repository files become their
/// full paths) and must exit 0: the programs that verify return 0 only for <c>Valid</c>.
/// </summary>
/// <remarks>
/// This replaces the older check that every line of a block appears in a sample: blocks are now complete programs
/// (their <c>using</c>s and every name they use included), and compiling and running them proves more than finding
/// their lines elsewhere.
/// </remarks>
public sealed partial class DocumentationSnippetTests
{
    /// <summary>The SDK's implicit usings for <c>Microsoft.NET.Sdk</c> with <c>ImplicitUsings</c> on.</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    // The assemblies of this test project that a user's project would not have.
    private static readonly HashSet<string> s_notReferencedBySnippets = new(StringComparer.OrdinalIgnoreCase)
    {
        "Traces.Samples.Tests", "Quickstart", "AgentReasoningTrace", "AuditorVerification", "AspNetCoreIntegration", "Samples.Common",
    };

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !s_notReferencedBySnippets.Contains(Path.GetFileNameWithoutExtension(path)))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    private static readonly Lazy<IReadOnlyList<Snippet>> s_snippets = new(() => FindSnippets(RepositoryRoot()));

    public static TheoryData<string> Snippets() => new(s_snippets.Value.Select(s => s.Name));

    public static TheoryData<string> RunnableSnippets() => new(s_snippets.Value.Where(s => s.RunArguments is not null).Select(s => s.Name));

    [Fact]
    public void TheGuidesHaveCSharpBlocks_AndSomeAreRun()
    {
        var documents = s_snippets.Value.Select(s => s.Document).ToHashSet(StringComparer.Ordinal);

        foreach (var document in new[] { "README.md", "docs/getting-started.md", "docs/resilience.md", "docs/verification.md", "docs/local-server.md" })
        {
            Assert.Contains(document, documents);
        }

        Assert.Contains(s_snippets.Value, s => s.Document == "README.md" && s.RunArguments is not null);
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void CSharpBlock_CompilesAsPrinted(string name)
    {
        var snippet = s_snippets.Value.Single(s => s.Name == name);

        var (compilation, _) = Compile(snippet);

        var problems = compilation.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath != "ImplicitUsings.cs")
            .ToList();
        Assert.True(problems.Count == 0, $"{snippet.Name} does not compile as printed:\n{Describe(problems)}\n{Numbered(snippet.Code)}");
    }

    [Theory]
    [MemberData(nameof(RunnableSnippets))]
    public async Task RunnableBlock_ExitsZero(string name)
    {
        var snippet = s_snippets.Value.Single(s => s.Name == name);
        var (compilation, _) = Compile(snippet);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, Describe(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        // Its own collectible context; the Traces assemblies and everything else resolve from this process's.
        var context = new AssemblyLoadContext(snippet.Name, isCollectible: true);
        try
        {
            image.Position = 0;
            var entryPoint = context.LoadFromStream(image).EntryPoint!;
            var args = snippet.RunArguments!.Select(ResolveArgument).ToArray();
            var result = await Task.Run(() => entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? [] : [args]), TestContext.Current.CancellationToken)
                .WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

            Assert.True(result is null or 0, $"{snippet.Name} exited {result}:\n{Numbered(snippet.Code)}");
        }
        finally
        {
            context.Unload();
        }
    }

    private static (CSharpCompilation Compilation, SyntaxTree Tree) Compile(Snippet snippet)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(snippet.Code, parse, path: "Program.cs", encoding: Encoding.UTF8);
        var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "ImplicitUsings.cs", encoding: Encoding.UTF8);
        var isProgram = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999)
            // The SDK's default NoWarn: assembly version unification notes.
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);
        var compilation = CSharpCompilation.Create("Snippet_" + Guid.NewGuid().ToString("N"), [tree, usings], s_references.Value, options);
        return (compilation, tree);
    }

    private static string ResolveArgument(string argument)
    {
        var path = Path.Combine(RepositoryRoot(), argument);
        return File.Exists(path) || Directory.Exists(path) ? path : argument;
    }

    private static List<Snippet> FindSnippets(string root)
    {
        var documents = new[] { "README.md" }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(root, p)))
            .Select(p => p.Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);
        var snippets = new List<Snippet>();
        foreach (var document in documents)
        {
            var text = File.ReadAllText(Path.Combine(root, document)).ReplaceLineEndings("\n");
            var index = 0;
            foreach (Match block in CSharpBlock().Matches(text))
            {
                index++;
                var line = text.AsSpan(0, block.Groups["indent"].Index).Count('\n') + 1;
                var marker = block.Groups["marker"].Success ? block.Groups["marker"].Value.Trim() : null;
                string[]? run = marker is not null && (marker == "run" || marker.StartsWith("run ", StringComparison.Ordinal))
                    ? marker[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    : null;
                snippets.Add(new Snippet($"{document}#{index} (line {line})", document, Dedent(block.Groups["code"].Value, block.Groups["indent"].Value), run));
            }
        }

        return snippets;
    }

    // A block inside a list item is indented; its code is not.
    private static string Dedent(string code, string indent) =>
        indent.Length == 0 ? code : string.Join('\n', code.Split('\n').Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart()));

    private static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join('\n', diagnostics.Select(d => d.ToString()));

    private static string Numbered(string code) => string.Join('\n', code.Split('\n').Select((l, i) => $"{i + 1,4}  {l}"));

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

    private sealed record Snippet(string Name, string Document, string Code, string[]? RunArguments);

    // ```csharp (or cs, c#) fences, with the HTML comment lines right above them; one may be <!-- snippet: … -->.
    [GeneratedRegex(@"(?:^[ \t]*<!--\s*snippet:(?<marker>[^\n]*?)-->[ \t]*\n|^[ \t]*<!--[^\n]*-->[ \t]*\n)*^(?<indent>[ \t]*)```(?:csharp|cs|c#)[^\n]*\n(?<code>.*?)^[ \t]*```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();
}
