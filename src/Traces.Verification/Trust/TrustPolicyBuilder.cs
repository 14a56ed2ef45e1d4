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

    /// <summary>The immutable policy.</summary>
    public TrustPolicy Build() => new(_ed25519, _rsa, _fingerprints);

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
