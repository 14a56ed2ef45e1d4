using System.Text.Json;

namespace Traces.Client.Services;

/// <summary>Saving downloaded documents: a file on disk is either the whole document or absent.</summary>
internal static class ProofFiles
{
    /// <summary>True when <paramref name="utf8"/> is one well-formed JSON object and nothing else.</summary>
    public static bool IsOneJsonObject(ReadOnlySpan<byte> utf8, out JsonException? problem)
    {
        problem = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = new JsonException("The body is not a JSON object.");
                return false;
            }

            reader.Skip();
            if (reader.Read())
            {
                problem = new JsonException("Data follows the JSON object.");
                return false;
            }

            return true;
        }
        catch (JsonException ex)
        {
            problem = ex;
            return false;
        }
    }

    /// <summary>
    /// Writes to a temporary file in the target's directory, then renames it over the target (a rename within one
    /// directory is atomic on the file systems .NET supports), so a reader never sees half a bundle.
    /// </summary>
    public static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);   // no-op when it was never created
            throw;
        }
    }
}
