using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Verification.Bundles;
using Traces.Verification.Trust;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Cli.Verification;

/// <summary>
/// Turns <c>--trust</c> values into a <see cref="TrustPolicy"/>. A value is a file (a PEM public key, Ed25519 or RSA
/// SubjectPublicKeyInfo; or a JSON published key set, the <c>GET /v1/traces/public-key</c> document) or an inline
/// key: a key id (<c>sha256:…</c>) or an Ed25519 key (<c>ed25519_pk:…</c>). Anything unreadable is unusable input,
/// never an empty policy: a typo in a pin must not quietly turn every verdict into Untrusted. For SidClaw's unkeyed
/// chains a value may also pin a trace's head (<c>sidclaw:&lt;trace_id&gt;=&lt;hash&gt;</c>, or a JSON file
/// <c>{"sidclaw_heads": {…}}</c>).
/// </summary>
internal static class TrustLoader
{
    public static TrustPolicy Load(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            throw new CliException("At least one --trust is required: a key file (.pem), a published key set (.json), or a key id (sha256:…).");
        }

        var set = LoadSet(values);
        if (set.SidClawHeads.Count > 0)
        {
            throw new CliException("--trust sidclaw:… pins a SidClaw trace's head; this command verifies traces/v1 documents and needs keys.");
        }

        return set.Policy;
    }

    /// <summary>Every kind of pin, for <c>traces verify</c>; no value at all is an empty set (every verdict at best Untrusted).</summary>
    public static TrustSet LoadSet(IReadOnlyList<string> values)
    {
        var builder = TrustPolicy.CreateBuilder();
        var heads = new List<KeyValuePair<string, string>>();
        var keyFiles = new List<KeyFile>();
        var keyValues = new List<string>();
        foreach (var value in values)
        {
            var text = value.Trim();
            if (SidClawHeadPins.TryParseArgument(text, out var pin, out var pinError))
            {
                heads.Add(pin);
                continue;
            }

            if (pinError is not null)
            {
                throw new CliException($"--trust {pinError}");
            }

            if (File.Exists(text) && TryReadPinFile(text, heads))
            {
                continue;
            }

            Add(builder, text, keyFiles);
            keyValues.Add(text);
        }

        try
        {
            return new TrustSet(builder.Build(), SidClawHeadPins.Create(heads), keyFiles, keyValues);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--trust: {FirstSentence(e)}", inner: e);
        }
    }

    /// <summary>True (pins added) when the file is a SidClaw pin file.</summary>
    private static bool TryReadPinFile(string path, List<KeyValuePair<string, string>> heads)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--trust '{path}' cannot be read: {e.Message}", inner: e);
        }

        if (!SidClawHeadPins.IsPinFile(bytes))
        {
            return false;
        }

        try
        {
            heads.AddRange(SidClawHeadPins.ParseFile(bytes));
            return true;
        }
        catch (FormatException e)
        {
            throw new CliException($"--trust '{path}': {e.Message}", inner: e);
        }
    }

    private static void Add(TrustPolicyBuilder builder, string value, List<KeyFile>? keyFiles = null)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new CliException("--trust was given an empty value.");
        }

        if (File.Exists(text))
        {
            AddFile(builder, text, keyFiles);
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

        throw new CliException($"--trust '{text}': no such file, and not a key id (sha256:…), an Ed25519 key (ed25519_pk:…) or a SidClaw head (sidclaw:<trace_id>=<hash>).");
    }

    /// <summary>
    /// A key file, read by the library's own reader (<see cref="TrustPolicyBuilder.AddKeyFileContents"/>: a published key set,
    /// or PEM public keys), so <c>--trust</c> and <see cref="TrustPolicy.FromFile"/> accept and refuse the same files.
    /// </summary>
    private static void AddFile(TrustPolicyBuilder builder, string path, List<KeyFile>? keyFiles)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
            builder.AddKeyFileContents(bytes, path); // read once: what is pinned is what is fingerprinted below
        }
        catch (InvalidDataException e)
        {
            // The library's message is "<path> holds no usable public key: …" (or "is not a published key set: …"); the
            // CLI names the option and quotes the value, as for every --trust error.
            var reason = e.Message.StartsWith(path + " ", StringComparison.Ordinal) ? e.Message[(path.Length + 1)..] : e.Message;
            throw new CliException($"--trust '{path}' {reason}", inner: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--trust '{path}' cannot be read: {e.Message}", inner: e);
        }

        if (!bytes.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("{"u8))
        {
            // The file's exact bytes: Novyx names its key by the SHA-256 of the PEM file (key_fingerprint).
            keyFiles?.Add(new KeyFile(path, bytes));
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

/// <summary>A key file given with <c>--trust</c>, as read.</summary>
internal sealed record KeyFile(string Path, byte[] Bytes);

/// <summary>
/// What <c>--trust</c> pinned: keys (the policy), SidClaw heads, the PEM key files as read (Novyx checkpoints compare
/// their <c>key_fingerprint</c> with the file's hash), and the key values as given (for messages).
/// </summary>
internal sealed record TrustSet(TrustPolicy Policy, SidClawHeadPins SidClawHeads, IReadOnlyList<KeyFile> KeyFiles, IReadOnlyList<string> KeyValues);

