namespace Traces.LocalServer.Signing;

/// <summary>
/// Secret files (private keys, the default API key) readable by the owner only where the OS has Unix permissions.
/// On Windows the file inherits the user profile's ACLs, which is the usual protection there.
/// </summary>
internal static class SecureFiles
{
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Writes to a temporary file with restricted mode, then renames, so a crash never leaves half a key.</summary>
    public static void WritePrivateFile(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
