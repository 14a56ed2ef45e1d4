using System.Security.Cryptography;
using System.Text.Json;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Signatures;

namespace Traces.Verification.Trust;

/// <summary>Builds a <see cref="TrustPolicy"/> from keys in the forms people have them.</summary>
public sealed class TrustPolicyBuilder
{
    /// <summary>The prefix of an Ed25519 public key in JSON (proof-format §8).</summary>
    public const string Ed25519KeyPrefix = "ed25519_pk:";

    private readonly List<Ed25519PublicKey> _ed25519 = [];
    private readonly List<RsaPublicKey> _rsa = [];
    private readonly List<Digest> _fingerprints = [];

    internal TrustPolicyBuilder()
    {
    }

    /// <summary>Pins a raw 32-byte Ed25519 public key.</summary>
    public TrustPolicyBuilder AddEd25519PublicKey(ReadOnlySpan<byte> rawKey)
    {
        if (!Ed25519PublicKey.TryImport(rawKey, out var key))
        {
            throw new ArgumentException($"An Ed25519 public key is 32 bytes; got {rawKey.Length}.", nameof(rawKey));
        }

        _ed25519.Add(key);
        return this;
    }

    /// <summary>
    /// Pins an Ed25519 public key given as <c>ed25519_pk:</c> + 64 hex digits, as 64 bare hex digits, or as a
    /// SubjectPublicKeyInfo PEM.
    /// </summary>
    public TrustPolicyBuilder AddEd25519PublicKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        _ed25519.Add(ParseEd25519(key.Trim()) ?? throw new ArgumentException(
            "Not an Ed25519 public key: expected 'ed25519_pk:' + 64 hex digits, 64 hex digits, or a PUBLIC KEY PEM.", nameof(key)));
        return this;
    }

    /// <summary>Pins an RSA public key (SubjectPublicKeyInfo or PKCS#1 PEM) of at least 2048 bits.</summary>
    public TrustPolicyBuilder AddRsaPublicKey(string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        if (!RsaPublicKey.TryImportPem(pem, out var key, out var reason))
        {
            throw new ArgumentException($"Not a usable RSA public key: {reason}", nameof(pem));
        }

        _rsa.Add(key);
        return this;
    }

    /// <summary>
    /// Pins a key by its id (<c>sha256:</c> + 64 hex, proof-format §8): the document's own key is then accepted
    /// only if it hashes to this id.
    /// </summary>
    public TrustPolicyBuilder AddKeyId(string keyId)
    {
        if (!Digest.TryParse(keyId?.Trim(), out var digest))
        {
            throw new ArgumentException("A key id is 'sha256:' followed by 64 lowercase hex digits.", nameof(keyId));
        }

        _fingerprints.Add(digest);
        return this;
    }

    /// <summary>
    /// Pins one key in any supported text form, detected by its shape: a key id (<c>sha256:…</c>), an Ed25519 key
    /// (<c>ed25519_pk:…</c> or an Ed25519 PEM), or an RSA PEM.
    /// </summary>
    public TrustPolicyBuilder AddKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var text = key.Trim();
        if (text.StartsWith(Digest.Prefix, StringComparison.Ordinal))
        {
            return AddKeyId(text);
        }

        if (ParseEd25519(text) is { } ed25519)
        {
            _ed25519.Add(ed25519);
            return this;
        }

        return AddRsaPublicKey(text);
    }

    /// <summary>Pins every key of a published key set, checking each key against its <c>key_id</c>.</summary>
    public TrustPolicyBuilder AddPublishedKeys(PublishedKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var published in keys.Keys ?? [])
        {
            var before = (_ed25519.Count, _rsa.Count);
            switch (published.Algorithm)
            {
                case PublishedKey.Ed25519:
                    AddEd25519PublicKey(published.PublicKey ?? string.Empty);
                    break;
                case PublishedKey.RsaPssSha256:
                    AddRsaPublicKey(published.PublicKey ?? string.Empty);
                    break;
                default:
                    throw new ArgumentException($"Unsupported algorithm '{published.Algorithm}' for key {published.KeyId}.", nameof(keys));
            }

            var added = _ed25519.Count > before.Item1 ? _ed25519[^1].KeyId : _rsa[^1].KeyId;
            if (published.KeyId != added.ToString())
            {
                throw new ArgumentException($"Published key_id {published.KeyId} does not match its key ({added}).", nameof(keys));
            }
        }

        return this;
    }

    /// <summary>
    /// Pins every key in a file you obtained out of band: a published key set (JSON, the
    /// <c>GET /v1/traces/public-key</c> document, as <c>docs/test-vectors/public-keys.json</c>), or one or more PEM
    /// public keys (<c>PUBLIC KEY</c>: Ed25519 or RSA; <c>RSA PUBLIC KEY</c>). All or nothing: when one key of the file
    /// is unusable, none is pinned.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">
    /// The file holds no usable public key: not a key set or PEM, an empty key set, a private key or certificate PEM, a
    /// key that does not parse, is too weak or does not match its <c>key_id</c>. The message names the file and why.
    /// </exception>
    public TrustPolicyBuilder AddKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return AddKeyFileContents(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// As <see cref="AddKeyFile"/>, for a key file whose bytes you have already read (for instance to fingerprint
    /// them): the file is read once, so what is pinned is exactly what was fingerprinted. Decoded as
    /// <see cref="File.ReadAllText(string)"/> decodes (UTF-8 unless a byte order mark says otherwise).
    /// </summary>
    /// <param name="contents">The file's bytes.</param>
    /// <param name="name">The file's name or path, for messages.</param>
    /// <exception cref="InvalidDataException">As for <see cref="AddKeyFile"/>; the message names <paramref name="name"/>.</exception>
    public TrustPolicyBuilder AddKeyFileContents(ReadOnlySpan<byte> contents, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string text;
        using (var reader = new StreamReader(new MemoryStream(contents.ToArray()), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            text = reader.ReadToEnd();
        }

        var staged = new TrustPolicyBuilder();
        try
        {
            var trimmed = text.Trim();
            if (trimmed.StartsWith('{'))
            {
                staged.AddKeySetJson(trimmed);
            }
            else
            {
                staged.AddPemBlocks(trimmed);
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{name} holds no usable public key: {WithoutParameterName(e)}", e);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name} is not a published key set: {e.Message}", e);
        }

        _ed25519.AddRange(staged._ed25519);
        _rsa.AddRange(staged._rsa);
        _fingerprints.AddRange(staged._fingerprints);
        return this;
    }

    /// <summary>The immutable policy.</summary>
    public TrustPolicy Build() => new(_ed25519, _rsa, _fingerprints);

    private void AddKeySetJson(string json)
    {
        // Read strictly (duplicate and unknown members refused): a trust file is configuration, and a typo must not
        // quietly pin less than meant.
        var keys = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.PublishedKeySet)
            ?? throw new ArgumentException("The JSON document is null, not a key set.");
        if (keys.Keys is { Count: > 0 })
        {
            AddPublishedKeys(keys);
        }
        else if (!string.IsNullOrWhiteSpace(keys.PublicKey))
        {
            // The Novyx form: a single top-level public_key (docs/api.md, GET /v1/traces/public-key).
            AddKey(keys.PublicKey);
        }
        else
        {
            throw new ArgumentException("The key set has no keys: expected {\"keys\": [{\"key_id\", \"algorithm\", \"public_key\"}]}.");
        }
    }

    private void AddPemBlocks(string text)
    {
        var rest = text.AsSpan();
        var found = 0;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (!label.SequenceEqual("PUBLIC KEY") && !label.SequenceEqual("RSA PUBLIC KEY"))
            {
                // A private key would carry its public half, but a trust file that holds one is a mistake worth stopping.
                throw new ArgumentException($"A '{label}' PEM block is not a public key; a trust file holds PUBLIC KEY blocks only.");
            }

            AddKey(rest[fields.Location].ToString());
            rest = rest[fields.Location.End..];
            found++;
        }

        if (found == 0)
        {
            throw new ArgumentException("Neither a published key set (JSON) nor a PEM public key (-----BEGIN PUBLIC KEY-----).");
        }
    }

    // ArgumentException appends " (Parameter 'x')", which names a parameter of ours, not anything in the user's file.
    private static string WithoutParameterName(ArgumentException e)
    {
        var message = e.Message;
        var parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return parameter >= 0 ? message[..parameter] : message;
    }

    internal static Ed25519PublicKey? ParseEd25519(string text)
    {
        var hex = text.StartsWith(Ed25519KeyPrefix, StringComparison.Ordinal) ? text[Ed25519KeyPrefix.Length..] : text;
        if (hex.Length == 64 && hex.All(Uri.IsHexDigit))
        {
            return Ed25519PublicKey.TryImport(Convert.FromHexString(hex), out var raw) ? raw : null;
        }

        return Ed25519PublicKey.TryImportPem(text, out var pem) ? pem : null;
    }
}
