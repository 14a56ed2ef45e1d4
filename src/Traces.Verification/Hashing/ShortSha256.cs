using System.Security.Cryptography;

namespace Traces.Verification.Hashing;

/// <summary>
/// SHA-256 of a short input (a Merkle leaf or node, a chain link: 33–65 bytes) through libsodium, which NSec already
/// loads for Ed25519. .NET's SHA-256 goes through OpenSSL, whose fixed cost per call (context set-up and error-queue
/// clearing, about 0.6 µs here) is twice the compression of one or two 64-byte blocks; libsodium has almost none. A
/// verifier computes three such hashes per entry. Longer inputs keep OpenSSL, whose compression is faster.
/// Same function, same digest: only the library differs.
/// </summary>
internal static class ShortSha256
{
    /// <summary>Inputs up to this length (two SHA-256 blocks with the padding) are hashed with libsodium.</summary>
    public const int MaxLength = 119;

    private static readonly NSec.Cryptography.HashAlgorithm s_sodium = NSec.Cryptography.HashAlgorithm.Sha256;

    /// <summary>Writes SHA-256(<paramref name="data"/>) to the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length <= MaxLength)
        {
            s_sodium.Hash(data, destination[..Digest.Length]);
        }
        else
        {
            SHA256.HashData(data, destination);
        }
    }
}
