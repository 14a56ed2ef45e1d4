using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Verification.Pipeline;

/// <summary>
/// Decides which Ed25519 key checks an entry's signature, and whether it is trusted (proof-format §10.2):
/// a pinned key always wins over the key carried by the entry; a carried key is used only to tell an
/// internally consistent but unpinned bundle (<c>Untrusted</c>) from a broken one (<c>Invalid</c>).
/// Results are cached per (key_id, public_key) pair: bundles are signed by one or a few keys.
/// </summary>
internal sealed class EntryKeyResolver(TrustPolicy trust, ReportBuilder report)
{
    private const int MaxCached = 16;
    private readonly Dictionary<(string? KeyId, string? PublicKey), Resolution> _cache = [];
    private (string? KeyId, string? PublicKey, Resolution Resolution)? _last;

    internal readonly record struct Resolution(Ed25519PublicKey? Key, bool Trusted, Digest? Untrusted, string? Problem, string? ProblemCode,
        string ProblemMember = "/key_id");

    public Resolution Resolve(string? keyIdText, string? publicKeyText, EntryPath at, long? index, string? eventId)
    {
        // Consecutive entries are nearly always signed by the same key: comparing with the last pair (vectorized,
        // usually equal) is cheaper than hashing both strings for the dictionary on every entry.
        Resolution resolution;
        bool known;
        if (_last is { } last && string.Equals(keyIdText, last.KeyId, StringComparison.Ordinal)
            && string.Equals(publicKeyText, last.PublicKey, StringComparison.Ordinal))
        {
            resolution = last.Resolution;
            known = true;
        }
        else
        {
            known = _cache.TryGetValue((keyIdText, publicKeyText), out resolution);
            if (known)
            {
                _last = (keyIdText, publicKeyText, resolution);
            }
        }

        if (!known)
        {
            resolution = Compute(keyIdText, publicKeyText);
            if (_cache.Count < MaxCached)
            {
                _cache[(keyIdText, publicKeyText)] = resolution;
            }
        }

        if (resolution.Problem is { } problem)
        {
            report.Add(new Finding(resolution.ProblemCode!, FindingSeverity.Error, problem)
            {
                EntryIndex = index,
                EventId = eventId,
                Location = at + resolution.ProblemMember,
                Expected = keyIdText,
            });
        }

        if (resolution.Trusted && resolution.Key is not null && !known)
        {
            // Recorded when the key is first resolved: a cached resolution was recorded in this same report already.
            // (Per entry, the key id string, a lock and a set lookup cost the reader thread for nothing.)
            report.AddTrustedKey(resolution.Key.KeyId.ToString());
        }

        return resolution;
    }

    private Resolution Compute(string? keyIdText, string? publicKeyText)
    {
        if (!Digest.TryParse(keyIdText, out var keyId))
        {
            return new(null, false, null, "key_id is missing or not a sha256: digest.", FindingCodes.Malformed);
        }

        Ed25519PublicKey? carried = null;
        string? problem = null;
        if (publicKeyText is not null && !WireEncoding.TryParseEd25519PublicKey(publicKeyText, out carried))
        {
            // §10.2 step 1: malformed, and ignored from here on; the signature is still checked with a pinned key (step 3).
            problem = "public_key is not 'ed25519_pk:' followed by 64 lowercase hex digits; it is ignored.";
            carried = null;
        }

        var resolution = Choose(keyId, carried);
        return problem is null ? resolution : resolution with { Problem = problem, ProblemCode = FindingCodes.Malformed, ProblemMember = "/public_key" };
    }

    private Resolution Choose(Digest keyId, Ed25519PublicKey? carried)
    {
        if (carried is not null && carried.KeyId != keyId)
        {
            return new(null, false, null, $"key_id {keyId} is not the SHA-256 of the carried public_key ({carried.KeyId}).", FindingCodes.KeyIdMismatch, "/public_key");
        }

        if (trust.TryGetEd25519(keyId, out var pinned))
        {
            return new(pinned, true, null, null, null);
        }

        if (carried is not null)
        {
            return trust.IsPinnedFingerprint(keyId) ? new(carried, true, null, null, null) : new(carried, false, null, null, null);
        }

        // Neither pinned nor carried: nothing can check the signature, and nothing vouches for it.
        return new(null, false, keyId, null, null);
    }
}
