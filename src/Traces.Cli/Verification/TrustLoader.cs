using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Verification.Bundles;
using Traces.Verification.Trust;

namespace Traces.Cli.Verification;

/// <summary>
/// Turns <c>--trust</c> values into a <see cref="TrustPolicy"/>. A value is a file (a PEM public key, Ed25519 or RSA
/// SubjectPublicKeyInfo; or a JSON published key set, the <c>GET /v1/traces/public-key</c> document) or an inline
/// key: a key id (<c>sha256:…</c>) or an Ed25519 key (<c>ed25519_pk:…</c>). Anything unreadable is unusable input,
/// never an empty policy: a typo in a pin must not quietly turn every verdict into Untrusted.
/// </summary>
internal static class TrustLoader
{
    public static TrustPolicy Load(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            throw new CliException("At least one --trust is required: a key file (.pem), a published key set (.json), or a key id (sha256:…).");
        }

        var builder = TrustPolicy.CreateBuilder();
        foreach (var value in values)
        {
            Add(builder, value);
        }

        return builder.Build();
    }

    private static void Add(TrustPolicyBuilder builder, string value)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new CliException("--trust was given an empty value.");
        }

        if (File.Exists(text))
        {
            AddFile(builder, text);
            return;
        }

        if (Directory.Exists(text))
        {
            throw new CliException($"--trust '{text}' is a directory: give a key file in it (a .pem public key or a published key set .json), " +
                "one --trust per key.");
        }

        if (text.StartsWith("sha256:", StringComparison.Ordinal) || text.StartsWith(TrustPolicyBuilder.Ed25519KeyPrefix, StringComparison.Ordinal))
        {
            try
            {
                // Parse by the prefix the value has, so the error names what was meant (AddKey would fall back to RSA).
                if (text.StartsWith("sha256:", StringComparison.Ordinal))
                {
                    builder.AddKeyId(text);
                }
                else
                {
                    builder.AddEd25519PublicKey(text);
                }

                return;
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--trust '{text}' is not a usable key: {FirstSentence(e)}", inner: e);
            }
        }

        throw new CliException($"--trust '{text}': no such file, and not a key id (sha256:…) or an Ed25519 key (ed25519_pk:…).");
    }

    private static void AddFile(TrustPolicyBuilder builder, string path)
    {
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--trust '{path}' cannot be read: {e.Message}", inner: e);
        }

        var trimmed = content.TrimStart();
        try
        {
            if (trimmed.StartsWith('{'))
            {
                var keys = JsonSerializer.Deserialize(content, TracesJsonContext.Strict.PublishedKeySet)
                    ?? throw new CliException($"--trust '{path}' is JSON null, not a published key set.");
                if (keys.Keys is not { Count: > 0 })
                {
                    // The Novyx-compatible top-level member alone still names one key.
                    if (string.IsNullOrWhiteSpace(keys.PublicKey))
                    {
                        throw new CliException($"--trust '{path}' is a JSON document without keys: expected {{\"keys\": [{{\"key_id\", \"algorithm\", \"public_key\"}}]}}.");
                    }

                    builder.AddKey(keys.PublicKey);
                    return;
                }

                builder.AddPublishedKeys(keys);
                return;
            }

            if (trimmed.Length == 0)
            {
                throw new CliException($"--trust '{path}' is empty.");
            }

            builder.AddKey(trimmed);
        }
        catch (JsonException e)
        {
            throw new CliException($"--trust '{path}' is not a published key set: {e.Message}", inner: e);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--trust '{path}' holds no usable public key: {FirstSentence(e)}", inner: e);
        }
    }

    // ArgumentException appends " (Parameter 'x')", which means nothing to someone at a shell.
    private static string FirstSentence(ArgumentException e)
    {
        var message = e.Message;
        var parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return parameter >= 0 ? message[..parameter] : message;
    }
}
