using Traces.LocalServer.Signing;

namespace Traces.LocalServer.Tests.Infrastructure;

/// <summary>
/// Starts servers for tests. RSA-4096 generation takes seconds, so keys are generated once per run into a template
/// directory and copied into each new data directory (exactly what a restarted server finds on disk).
/// </summary>
internal static class TestServers
{
    private static readonly Lazy<string> s_keyTemplate = new(() =>
    {
        var dir = NewTempDirectory();
        ServerKeys.LoadOrCreate(dir).Dispose();
        return Path.Combine(dir, ServerKeys.KeysFolder);
    });

    public static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "traces-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A fresh data directory that already holds the shared test keys.</summary>
    public static string NewDataDirectory()
    {
        var dir = NewTempDirectory();
        var keys = Path.Combine(dir, ServerKeys.KeysFolder);
        Directory.CreateDirectory(keys);
        foreach (var file in Directory.GetFiles(s_keyTemplate.Value))
        {
            File.Copy(file, Path.Combine(keys, Path.GetFileName(file)));
        }

        return dir;
    }

    /// <summary>Starts an in-process server on a fresh data directory (deleted by <see cref="DeleteDirectory"/> or left in temp).</summary>
    public static Task<LocalTracesServer> StartAsync(Action<LocalTracesServerOptions>? configure = null, string? dataDirectory = null)
    {
        var options = new LocalTracesServerOptions { DataDirectory = dataDirectory ?? NewDataDirectory(), DurableWrites = false };
        configure?.Invoke(options);
        return LocalTracesServer.StartAsync(options, TestContext.Current.CancellationToken);
    }

    public static void DeleteDirectory(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
