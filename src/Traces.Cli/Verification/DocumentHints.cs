using System.Text.Json;

namespace Traces.Cli.Verification;

/// <summary>
/// When a file given to a verification command is not what that command reads but another traces/v1 document (a
/// certificate given to <c>verify</c>, a key set, an entry), names the command that reads it. Only a suggestion:
/// the verdict stays what the verifier said. Looks only at top-level member names of a small file.
/// </summary>
internal static class DocumentHints
{
    private const long MaxBytes = 1024 * 1024;

    /// <summary>A hint for a file that <c>traces verify</c> found Invalid, or null.</summary>
    public static string? ForBundle(string path) => Guess(path) switch
    {
        Kind.Certificate => $"'{path}' looks like a trace certificate, not a proof bundle: check it with 'traces verify-certificate {path} --trust …' " +
            "(add '--entries <entries.json|bundle.json>' to check the entries it certifies).",
        Kind.Entry => $"'{path}' looks like one entry, not a proof bundle: check it with 'traces verify-inclusion {path} --proof <proof.json> --certificate <certificate.json> --trust …'.",
        Kind.Entries => $"'{path}' looks like a list of entries, not a proof bundle: check them against their certificate with 'traces verify-certificate <certificate.json> --entries {path} --trust …'.",
        Kind.InclusionProof => $"'{path}' looks like an inclusion proof: check it with 'traces verify-inclusion <entry.json> --proof {path} --certificate <certificate.json> --trust …'.",
        Kind.KeySet => $"'{path}' looks like a published key set: pass it with '--trust {path}' and give the bundle as the argument.",
        _ => null,
    };

    private enum Kind
    {
        Unknown,
        Certificate,
        Entry,
        Entries,
        InclusionProof,
        KeySet,
    }

    private static Kind Guess(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists || file.Length > MaxBytes)
            {
                return Kind.Unknown;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 128 });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                return root.GetArrayLength() > 0 && root.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("chain_hash", out _))
                    ? Kind.Entries
                    : Kind.Unknown;
            }

            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("events", out _))
            {
                return Kind.Unknown;
            }

            bool Has(string name) => root.TryGetProperty(name, out _);
            return Has("seal_event_id") && Has("algorithm") ? Kind.Certificate
                : Has("leaf_index") && Has("path") ? Kind.InclusionProof
                : Has("event_id") && Has("content_hash") ? Kind.Entry
                : Has("keys") ? Kind.KeySet
                : Kind.Unknown;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return Kind.Unknown;
        }
    }
}
