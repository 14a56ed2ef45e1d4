using System.Diagnostics;
using Traces.Cli.Infrastructure;
using Traces.TestSupport;

namespace Traces.Cli.Tests.Infrastructure;

/// <summary>
/// A missing native library (libsodium for Ed25519, e_sqlite3 for <c>traces serve</c>) is one <c>error:</c> line and
/// exit code 5, never an unhandled exception (exit 134) with a stack trace.
/// </summary>
public sealed class NativeLibraryFailureTests
{
    private const string Advice = "The traces executable needs the libraries published with it in the same folder " +
        "(libsodium and libe_sqlite3 beside a Native AOT build; see docs/cli.md, Native AOT), or reinstall the tool.";

    [Fact]
    public void NSecWithoutLibsodium_IsDescribed()
    {
        // The shape NSec 26 throws (Sodium.InitializeCore): PlatformNotSupportedException around the loader's exception.
        var exception = new PlatformNotSupportedException(
            "Could not initialize platform-specific components. NSec may not be supported on this platform.",
            new DllNotFoundException("Unable to load shared library 'libsodium' or one of its dependencies."));

        Assert.True(NativeLibraryFailure.TryDescribe(exception, out var message));
        Assert.Equal("the native library libsodium (Ed25519 signatures) could not be loaded. " + Advice, message);
    }

    [Fact]
    public void SqliteWithoutESqlite3_InsideATypeInitializer_IsDescribed()
    {
        var exception = new TypeInitializationException("Microsoft.Data.Sqlite.SqliteConnection",
            new DllNotFoundException("Unable to load shared library 'e_sqlite3' or one of its dependencies."));

        Assert.True(NativeLibraryFailure.TryDescribe(exception, out var message));
        Assert.Equal("the native library e_sqlite3 (the local server's database) could not be loaded. " + Advice, message);
    }

    [Fact]
    public void AnOlderLibraryWithoutTheEntryPoint_IsDescribedAsTheWrongVersion()
    {
        var exception = new EntryPointNotFoundException("Unable to find an entry point named 'crypto_sign_ed25519_verify_detached' in shared library 'libsodium'.");

        Assert.True(NativeLibraryFailure.TryDescribe(exception, out var message));
        Assert.Equal("the native library libsodium (Ed25519 signatures) is not the version this tool was built with. " + Advice, message);
    }

    [Fact]
    public void OtherFailures_AreNotNativeLibraryFailures()
    {
        Assert.False(NativeLibraryFailure.TryDescribe(new PlatformNotSupportedException("no"), out _));
        Assert.False(NativeLibraryFailure.TryDescribe(new InvalidOperationException("x", new IOException("disk")), out _));
    }

    [Fact]
    public async Task Verify_WithLibsodiumUnavailable_PrintsOneErrorLine_AndExits5()
    {
        var (exitCode, stdout, stderr) = await RunWithoutNativeLibrariesAsync(
            "verify", TestVectors.OwnVector("bundle-small.json"), "--trust", TestVectors.OwnVector("public-keys.json"));

        Assert.Equal("", stdout);
        Assert.Equal("error: the native library libsodium (Ed25519 signatures) could not be loaded. " + Advice + "\n", stderr);
        Assert.Equal(ExitCodes.NativeLibraryMissing, exitCode);
    }

    [Fact]
    public async Task Serve_WithNativeLibrariesUnavailable_PrintsOneErrorLine_AndExits5()
    {
        // Past the server's own start-failure handling (exit 3 for an address or data directory in use): a missing
        // library is not bad input, and is not reported as such.
        var data = Directory.CreateTempSubdirectory("traces-serve-without-natives-");
        try
        {
            var (exitCode, stdout, stderr) = await RunWithoutNativeLibrariesAsync("serve", "--urls", "http://127.0.0.1:0", "--data", data.FullName);

            Assert.Equal("", stdout);
            Assert.Matches(@"^error: the native library (libsodium \(Ed25519 signatures\)|e_sqlite3 \(the local server's database\)) could not be loaded\. ", stderr);
            Assert.EndsWith(Advice + "\n", stderr, StringComparison.Ordinal);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
            Assert.Equal(ExitCodes.NativeLibraryMissing, exitCode);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The real tool in a child process, from a copy of its build output without the runtimes/ folder, which is where
    /// the NSec and SQLitePCLRaw packages put libsodium and e_sqlite3: what an AOT binary copied alone looks like.
    /// </summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunWithoutNativeLibrariesAsync(params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("traces-without-natives-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
            {
                File.Copy(file, Path.Combine(directory.FullName, Path.GetFileName(file)));
            }

            var (exitCode, stdout, stderr) = await RunAsync(Path.Combine(directory.FullName, "traces.dll"), args);
            if (exitCode == 0)
            {
                Assert.Skip("A libsodium and e_sqlite3 on this machine's library path were loaded instead, so they cannot be made unavailable here.");
            }

            return (exitCode, stdout.ReplaceLineEndings("\n"), stderr.ReplaceLineEndings("\n"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string dll, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // A serve that found its libraries after all runs until stopped.
            process.Kill(entireProcessTree: true);
            Assert.Fail($"traces {string.Join(' ', args)} did not exit within 60 s: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
