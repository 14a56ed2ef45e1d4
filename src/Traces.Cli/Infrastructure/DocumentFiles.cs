using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Traces.Cli.Infrastructure;

/// <summary>
/// Reads the small traces/v1 documents (certificate, entry, inclusion proof, entries) that are verified as objects.
/// A file that is missing or does not parse as the document it should be is unusable input (exit 3): the verifier
/// can only give a verdict on something it could read. Bundles are different: they are streamed, and a broken
/// bundle is an Invalid verdict with a <c>malformed</c> finding.
/// </summary>
internal static class DocumentFiles
{
    public static void RequireFile(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"The {what} '{path}' is a directory, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"The {what} '{path}' does not exist.");
        }
    }

    public static byte[] ReadAll(string path, string what)
    {
        RequireFile(path, what);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"The {what} '{path}' cannot be read: {e.Message}", inner: e);
        }
    }

    public static T Read<T>(string path, string what, JsonTypeInfo<T> type) where T : class
    {
        var bytes = ReadAll(path, what);
        try
        {
            return JsonSerializer.Deserialize(bytes, type)
                ?? throw new CliException($"The {what} '{path}' is JSON null.");
        }
        catch (JsonException e)
        {
            throw new CliException($"The {what} '{path}' is not a traces/v1 {what}: {e.Message}", inner: e);
        }
    }

    /// <summary>The first byte that is not JSON whitespace, or 0.</summary>
    public static byte FirstSignificantByte(ReadOnlySpan<byte> json)
    {
        foreach (var b in json)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF))
            {
                return b;
            }
        }

        return 0;
    }
}
