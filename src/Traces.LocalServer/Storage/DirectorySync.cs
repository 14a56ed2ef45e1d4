using System.Runtime.InteropServices;
using System.Text;

namespace Traces.LocalServer.Storage;

/// <summary>
/// fsync of a directory, so that a file created in it is still there after a power loss (POSIX fsync(2): syncing a
/// file does not necessarily sync the directory entry that names it). .NET cannot open a directory as a file, hence
/// libc. Like SQLite's unix VFS (unixSync, <c>openDirectory</c>), a directory that cannot be opened or synced is left
/// as it is: some file systems refuse it, and those journal their directories anyway.
/// </summary>
internal static class DirectorySync // and file data
{
    private const int ReadOnly = 0; // O_RDONLY on Linux and macOS

    public static void Flush(string directory)
    {
        // Windows: NTFS journals directory changes, and FlushFileBuffers cannot open a directory either.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnly);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    /// <summary>
    /// Flushes a file's data (and the size, not the timestamps) to the disk: fdatasync(2) on Linux, as SQLite's unix
    /// VFS syncs its files there; a full flush (fsync, FlushFileBuffers) elsewhere.
    /// </summary>
    public static void FlushData(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(file);
            return;
        }

        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            if (Fdatasync((int)file.DangerousGetHandle()) != 0)
            {
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int Fdatasync(int fd);

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
