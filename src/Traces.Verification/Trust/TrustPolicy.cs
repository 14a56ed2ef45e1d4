using System.Collections.Frozen;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Signatures;

namespace Traces.Verification.Trust;

/// <summary>
/// The keys the caller trusts. Verification accepts a signature only under a key pinned here; a key or algorithm
/// named inside a bundle is a hint used to report <see cref="Reports.Verdict.Untrusted"/>, never to widen trust
/// (proof-format §10.2). Immutable and thread-safe.
/// </summary>
public sealed class TrustPolicy
{
    private readonly FrozenDictionary<Digest, Ed25519PublicKey> _ed25519;
    private readonly FrozenDictionary<Digest, RsaPublicKey> _rsa;
    private readonly FrozenSet<Digest> _fingerprints;

    internal TrustPolicy(IEnumerable<Ed25519PublicKey> ed25519, IEnumerable<RsaPublicKey> rsa, IEnumerable<Digest> fingerprints)
    {
        _ed25519 = ed25519.DistinctBy(k => k.KeyId).ToFrozenDictionary(k => k.KeyId);
        _rsa = rsa.DistinctBy(k => k.KeyId).ToFrozenDictionary(k => k.KeyId);
        _fingerprints = fingerprints.ToFrozenSet();
    }

    /// <summary>A policy that trusts nothing: every verification is at best <see cref="Reports.Verdict.Untrusted"/>.</summary>
    public static TrustPolicy None { get; } = new([], [], []);

    /// <summary>Starts a policy.</summary>
    public static TrustPolicyBuilder CreateBuilder() => new();

    /// <summary>
    /// Pins every key of a published key set. Use only for a set obtained out of band (pinned in configuration,
    /// fetched once over a channel you trust): fetching it next to the bundle proves nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A key does not parse, is too weak, or does not match its <c>key_id</c>.</exception>
    public static TrustPolicy FromPublishedKeys(PublishedKeySet keys) => CreateBuilder().AddPublishedKeys(keys).Build();

    /// <summary>
    /// Pins every key in a file you obtained out of band: a published key set (JSON) or PEM public keys. See
    /// <see cref="TrustPolicyBuilder.AddKeyFile"/>; combine several files with <see cref="CreateBuilder"/>.
    /// </summary>
    /// <param name="path">The key-set or PEM file.</param>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file holds no usable public key (the message says why).</exception>
    public static TrustPolicy FromFile(string path) => CreateBuilder().AddKeyFile(path).Build();

    /// <summary>True when nothing is pinned.</summary>
    public bool IsEmpty => _ed25519.Count == 0 && _rsa.Count == 0 && _fingerprints.Count == 0;

    /// <summary>The ids of every pinned key and fingerprint, as <c>sha256:</c> strings.</summary>
    public IReadOnlyList<string> PinnedKeyIds =>
        _ed25519.Keys.Concat(_rsa.Keys).Concat(_fingerprints).Distinct().Select(d => d.ToString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>The pinned Ed25519 key with this id.</summary>
    internal bool TryGetEd25519(Digest keyId, out Ed25519PublicKey? key) => _ed25519.TryGetValue(keyId, out key);

    /// <summary>The pinned RSA key with this id.</summary>
    internal bool TryGetRsa(Digest keyId, out RsaPublicKey? key) => _rsa.TryGetValue(keyId, out key);

    /// <summary>
    /// True when the key id alone is pinned: then the key carried by the document is used, after checking that it
    /// hashes to this id (a fingerprint pin is as strong as a key pin, RFC 6962 style).
    /// </summary>
    internal bool IsPinnedFingerprint(Digest keyId) => _fingerprints.Contains(keyId);
}
