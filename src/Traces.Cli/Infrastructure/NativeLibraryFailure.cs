using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Traces.Cli.Infrastructure;

/// <summary>
/// A native library the tool loads could not be loaded: libsodium (Ed25519 through NSec; NSec reports it as a
/// <see cref="PlatformNotSupportedException"/> around a <see cref="DllNotFoundException"/>) or e_sqlite3 (the local
/// server's SQLite, for <c>traces serve</c>). That is a broken installation, typically the Native AOT executable copied
/// without the libraries published beside it (docs/cli.md, Native AOT), so it gets its own exit code and one line
/// saying what to do, never a stack trace.
/// </summary>
internal static partial class NativeLibraryFailure
{
    /// <summary>True when <paramref name="exception"/> or one of its inner exceptions is a native library load failure.</summary>
    public static bool TryDescribe(Exception exception, [NotNullWhen(true)] out string? message)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DllNotFoundException or EntryPointNotFoundException)
            {
                message = Describe(LibraryName(current.Message), current is EntryPointNotFoundException);
                return true;
            }
        }

        message = null;
        return false;
    }

    private static string Describe(string? library, bool wrongVersion)
    {
        var what = library switch
        {
            not null when library.Contains("sodium", StringComparison.OrdinalIgnoreCase) => "libsodium (Ed25519 signatures)",
            not null when library.Contains("sqlite", StringComparison.OrdinalIgnoreCase) => "e_sqlite3 (the local server's database)",
            not null => library,
            null => "a native library",
        };
        var problem = wrongVersion ? "is not the version this tool was built with" : "could not be loaded";
        return $"the native library {what} {problem}. The traces executable needs the libraries published with it in the " +
            "same folder (libsodium and libe_sqlite3 beside a Native AOT build; see docs/cli.md, Native AOT), or reinstall the tool.";
    }

    // "Unable to load shared library 'libsodium' or one of its dependencies…", "Unable to find an entry point named 'x'
    // in shared library 'libsodium'." (the runtime's messages, the same under CoreCLR and Native AOT).
    private static string? LibraryName(string message) => QuotedName().Match(message) is { Success: true } match ? match.Groups["name"].Value : null;

    [GeneratedRegex(@"library '(?<name>[^']+)'")]
    private static partial Regex QuotedName();
}
