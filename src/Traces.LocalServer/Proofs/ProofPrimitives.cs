using System.Text.Json;
using Traces.Verification.Bundles;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Signatures;

namespace Traces.LocalServer.Proofs;

/// <summary>
/// The proof-format primitives the server uses, each a thin call into Traces.Verification: the server hashes and
/// builds messages with exactly the code the verifier checks with, so the two cannot drift apart.
/// </summary>
internal static class ProofPrimitives
{
    public const string FormatVersion = EntryHasher.FormatVersion;

    /// <summary>Checks that <paramref name="utf8Json"/> is I-JSON and returns its RFC 8785 form, or an error message.</summary>
    public static bool TryCanonicalize(ReadOnlySpan<byte> utf8Json, out byte[] canonical, out string error) =>
        Unwrap(JsonCanonicalizer.Canonicalize(utf8Json), out canonical, out error);

    /// <summary>RFC 8785 form of an element, refusing what I-JSON forbids.</summary>
    public static bool TryCanonicalize(JsonElement element, out byte[] canonical, out string error) =>
        Unwrap(JsonCanonicalizer.Canonicalize(element), out canonical, out error);

    public static byte[] Canonicalize(JsonElement element) =>
        TryCanonicalize(element, out var canonical, out var error) ? canonical : throw new InvalidOperationException(error);

    public static Digest PayloadHash(JsonElement payload) => EntryHasher.ComputePayloadHash(payload);

    /// <summary>proof-format §4.2.</summary>
    public static Digest ContentHash(string eventId, string eventType, string ingestedAt, Digest payloadHash) =>
        EntryHasher.ComputeContentHash(eventId, eventType, ingestedAt, payloadHash);

    /// <summary>ASCII(label) || 0x00 || digest (proof-format §6).</summary>
    public static byte[] EventMessage(Digest contentHash) => SignedMessage.Create(SignatureLabels.Event, contentHash);

    public static byte[] CertificateMessage(CertificateStatement statement) =>
        SignedMessage.Create(SignatureLabels.Certificate, statement.ComputeDigest());

    private static bool Unwrap(CanonicalizationResult result, out byte[] canonical, out string error)
    {
        if (result.IsSuccess)
        {
            canonical = result.Utf8Bytes!;
            error = "";
            return true;
        }

        canonical = [];
        var failure = result.Error!;
        error = string.IsNullOrEmpty(failure.Path) || failure.Path == "$" ? failure.Message : $"{failure.Message} (at {failure.Path})";
        return false;
    }
}
