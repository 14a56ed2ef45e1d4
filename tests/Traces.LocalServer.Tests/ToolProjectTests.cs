using System.Diagnostics;

namespace Traces.LocalServer.Tests;

/// <summary>The <c>traces-server</c> tool project (src/Traces.LocalServer.Tool) as <c>dotnet run</c> sees it.</summary>
public sealed class ToolProjectTests
{
    [Fact]
    public async Task DotnetRun_StartsTheServerInTheCallersFolder_SoARelativeDataPathIsTheCallers()
    {
        // `dotnet run` starts a program in RunWorkingDirectory; without the project's setting that is the project's own
        // folder, and `--data ./traces-data` ended up in src/Traces.LocalServer.Tool (docs/local-server.md, Standalone).
        var ct = TestContext.Current.CancellationToken;
        var project = Path.Combine(RepositoryRoot(), "src", "Traces.LocalServer.Tool", "Traces.LocalServer.Tool.csproj");
        var caller = Directory.CreateTempSubdirectory("traces-run-from-");
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = caller.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "msbuild", project, "-getProperty:RunWorkingDirectory", "-nologo" })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);

            Assert.True(process.ExitCode == 0, await error);
            Assert.Equal(caller.FullName, (await output).Trim());
        }
        finally
        {
            caller.Delete(recursive: true);
        }
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
}
