using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Verification.Vendors;

/// <summary>How a vendor signature fared against the caller's keys.</summary>
internal enum SignerState
{
    /// <summary>It verifies under a key the caller pinned.</summary>
    Pinned,

    /// <summary>It verifies only under the key the document carries, which nobody pinned: consistent, not trusted.</summary>
    Unpinned,

    /// <summary>No key at hand makes it verify.</summary>
    Invalid,

    /// <summary>No pinned key and no key in the document: nothing to check it with.</summary>
    NoKey,
}

/// <summary>
/// Picks the key a vendor signature is checked with, under the rule of proof-format §10.2: trust comes from the
/// caller's pinned keys only; the key a document carries is used to tell a consistent but unpinned document
/// (Untrusted) from a broken one (Invalid), never to make it Valid. A document never chooses the algorithm: each
/// format fixes one.
/// </summary>
internal static class VendorSigners
{
    /// <summary>An Ed25519 signature; <paramref name="signer"/> is the pinned key that verified it, if any.</summary>
    public static SignerState VerifyEd25519(TrustPolicy trust, Ed25519PublicKey? carried, ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> signature, out Ed25519PublicKey? signer)
    {
        signer = null;
        if (carried is not null && (trust.TryGetEd25519(carried.KeyId, out _) || trust.IsPinnedFingerprint(carried.KeyId)))
        {
            signer = carried;
            return Ed25519Verifier.Verify(carried, message, signature) ? SignerState.Pinned : SignerState.Invalid;
        }

        var anyPinned = false;
        foreach (var key in trust.Ed25519Keys)
        {
            anyPinned = true;
            if (Ed25519Verifier.Verify(key, message, signature))
            {
                signer = key;
                return SignerState.Pinned;
            }
        }

        if (carried is not null)
        {
            return Ed25519Verifier.Verify(carried, message, signature) ? SignerState.Unpinned : SignerState.Invalid;
        }

        return anyPinned ? SignerState.Invalid : SignerState.NoKey;
    }

    /// <summary>An RSA signature under <paramref name="scheme"/>; <paramref name="signer"/> is the pinned key that verified it, if any.</summary>
    public static SignerState VerifyRsa(TrustPolicy trust, RsaPublicKey? carried, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature,
        RsaSignatureScheme scheme, out RsaPublicKey? signer)
    {
        signer = null;
        if (carried is not null && (trust.TryGetRsa(carried.KeyId, out _) || trust.IsPinnedFingerprint(carried.KeyId)))
        {
            signer = carried;
            return carried.Verify(message, signature, scheme) ? SignerState.Pinned : SignerState.Invalid;
        }

        var anyPinned = false;
        foreach (var key in trust.RsaKeys)
        {
            anyPinned = true;
            if (key.Verify(message, signature, scheme))
            {
                signer = key;
                return SignerState.Pinned;
            }
        }

        if (carried is not null)
        {
            return carried.Verify(message, signature, scheme) ? SignerState.Unpinned : SignerState.Invalid;
        }

        return anyPinned ? SignerState.Invalid : SignerState.NoKey;
    }
}
