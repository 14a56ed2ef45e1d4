namespace Traces.Samples;

/// <summary>
/// Where a sample writes its files: a folder the user named, which is kept, or else a fresh temporary folder that is
/// deleted with everything in it when the sample ends (however it ends), so runs leave nothing behind.
/// </summary>
public sealed class SampleFolder : IDisposable
{
    private SampleFolder(string path, bool isTemporary)
    {
        Path = path;
        IsTemporary = isTemporary;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>True when the folder is deleted on <see cref="Dispose"/>.</summary>
    public bool IsTemporary { get; }

    /// <summary>The folder <paramref name="keepIn"/> (created if needed), or a temporary one when it is null.</summary>
    public static SampleFolder Create(string? keepIn, string temporaryPrefix)
    {
        if (keepIn is null)
        {
            return new SampleFolder(Directory.CreateTempSubdirectory(temporaryPrefix).FullName, isTemporary: true);
        }

        return new SampleFolder(Directory.CreateDirectory(keepIn).FullName, isTemporary: false);
    }

    /// <summary>A file in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>What to print after a file's path.</summary>
    public string Note => IsTemporary ? "temporary: deleted at exit; pass a folder to keep it" : "kept";

    public void Dispose()
    {
        if (IsTemporary && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
