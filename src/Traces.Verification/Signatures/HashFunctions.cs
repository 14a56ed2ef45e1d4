using System.Security.Cryptography;

namespace Traces.Verification.Signatures;

/// <summary>The hashes RSA verification supports, by <see cref="HashAlgorithmName"/>.</summary>
internal static class HashFunctions
{
    public static bool IsSupported(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 || hash == HashAlgorithmName.SHA256
        || hash == HashAlgorithmName.SHA384 || hash == HashAlgorithmName.SHA512;

    public static void ThrowIfUnsupported(HashAlgorithmName hash, string paramName)
    {
        if (!IsSupported(hash))
        {
            throw new ArgumentException(
                $"Hash '{hash.Name}' is not supported; use SHA1, SHA256, SHA384 or SHA512.", paramName);
        }
    }

    /// <summary>hLen in bytes.</summary>
    public static int GetLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA1 ? SHA1.HashSizeInBytes
        : hash == HashAlgorithmName.SHA256 ? SHA256.HashSizeInBytes
        : hash == HashAlgorithmName.SHA384 ? SHA384.HashSizeInBytes
        : hash == HashAlgorithmName.SHA512 ? SHA512.HashSizeInBytes
        : throw new ArgumentException($"Hash '{hash.Name}' is not supported.", nameof(hash));

    public static void Hash(HashAlgorithmName hash, ReadOnlySpan<byte> data, Span<byte> destination) =>
        CryptographicOperations.HashData(hash, data, destination);
}
