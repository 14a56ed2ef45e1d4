namespace Traces.LocalServer.Hosting;

/// <summary>
/// Keeps a second server process off a data directory that one is using: two writers would each believe they own
/// the chain and the key files. The lock is an OS file lock (flock on Unix), so a killed process releases it.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private const string FileName = "server.lock";
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    /// <exception cref="InvalidOperationException">Another server holds the directory.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        try
        {
            return new DataDirectoryLock(new FileStream(Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate,
                FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException exception)
        {
            throw new InvalidOperationException(
                $"The data directory '{dataDirectory}' is in use by another Traces server; stop it or choose another --data.", exception);
        }
    }

    public void Dispose() => _stream.Dispose();
}
