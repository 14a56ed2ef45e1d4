using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Traces.Verification.Hashing;

/// <summary>
/// SHA-256 (FIPS 180-4) of the short inputs a verifier hashes for every entry: the payload's canonical form and the
/// content preimage (about 200 bytes each), a chain link (64 bytes), a Merkle leaf (33) and node (65).
/// </summary>
/// <remarks>
/// <para>.NET's <see cref="SHA256"/> goes through OpenSSL's EVP layer, whose fixed cost per call (context set-up,
/// provider dispatch, error-queue clearing: 0.6–0.9 µs here) is several times the compression of one to four 64-byte
/// blocks; a verifier hashes five such inputs per entry. On Linux the same OpenSSL library (<c>libcrypto.so.3</c>, which
/// .NET itself loads for its cryptography) also exports the low-level <c>SHA256_Init</c>/<c>SHA256_Update</c>/
/// <c>SHA256_Final</c>, the very compression function its EVP provider runs (SHA extensions where the CPU has them), with
/// none of that per-call cost: 0.1–0.2 µs for one or two blocks instead of 0.6–0.9 µs through EVP, 0.3 µs through
/// libsodium (portable C, no SHA extensions).</para>
/// <para>It is used only after a self-test at first use gives the FIPS 180-4 digests of known inputs (one and several
/// blocks, and every padding boundary) equal to <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>'s;
/// anywhere else (Windows, macOS, a Linux without <c>libcrypto.so.3</c>) inputs of one or two blocks go through
/// libsodium (NSec already loads it) and longer ones through <see cref="SHA256"/>. Same function, same digest: only the
/// library differs. Digests here are of public data (a verifier recomputes what the bundle states), so no secret goes
/// through a code path other than the platform's.</para>
/// </remarks>
internal static class ShortSha256
{
    /// <summary>Without the native path, inputs up to this length (two blocks with the padding) go through libsodium.</summary>
    public const int MaxSodiumLength = 119;

    // Each native call is made without a GC transition (it is a few hundred nanoseconds of pure computation on memory
    // the caller pins); a long input is fed in pieces so that no call holds up a garbage collection for long.
    private const int MaxChunk = 16 * 1024;

    // sizeof(SHA256_CTX) is 112 bytes in OpenSSL 1.1 and 3.x; the context lives on the caller's stack.
    private const int ContextSize = 256;

    private static readonly NSec.Cryptography.HashAlgorithm s_sodium = NSec.Cryptography.HashAlgorithm.Sha256;

    private static readonly bool s_native = OperatingSystem.IsLinux() && NativeSelfTest();

    /// <summary>Whether the low-level OpenSSL path is in use (tests report it; the digests are the same either way).</summary>
    public static bool UsesNative => s_native;

    /// <summary>Writes SHA-256(<paramref name="data"/>) to the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (s_native)
        {
            NativeHash(data, destination[..Digest.Length]);
        }
        else
        {
            Fallback(data, destination);
        }
    }

    /// <summary>The path used where the native one is not (also the reference of the self-test).</summary>
    internal static void Fallback(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length <= MaxSodiumLength)
        {
            s_sodium.Hash(data, destination[..Digest.Length]);
        }
        else
        {
            SHA256.HashData(data, destination);
        }
    }

    private static void NativeHash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> context = stackalloc byte[ContextSize];
        ref var state = ref MemoryMarshal.GetReference(context);
        var ok = Native.SHA256_Init(ref state) == 1;

        // A zero-length update is never made: the reference of an empty span may be null.
        for (var rest = data; ok && !rest.IsEmpty;)
        {
            var piece = rest.Length <= MaxChunk ? rest : rest[..MaxChunk];
            ok = Native.SHA256_Update(ref state, ref MemoryMarshal.GetReference(piece), (nuint)piece.Length) == 1;
            rest = rest[piece.Length..];
        }

        // The functions fail only for a null context; should they ever, the digest comes from the other path.
        if (!ok || Native.SHA256_Final(ref MemoryMarshal.GetReference(destination), ref state) != 1)
        {
            Fallback(data, destination);
        }
    }

    // The native path is used only when it gives the platform's digests for inputs of every padding case: empty, one
    // block, the 55/56/63/64-byte boundaries of FIPS 180-4 §5.1.1, two and more blocks, and more than one piece.
    private static bool NativeSelfTest()
    {
        try
        {
            var input = new byte[MaxChunk + 300];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = (byte)((i * 131) + 7);
            }

            Span<byte> expected = stackalloc byte[Digest.Length];
            Span<byte> actual = stackalloc byte[Digest.Length];
            foreach (var length in (ReadOnlySpan<int>)[0, 1, 3, 32, 33, 55, 56, 63, 64, 65, 119, 120, 128, 200, 1000, MaxChunk, input.Length])
            {
                SHA256.HashData(input.AsSpan(0, length), expected);
                NativeHash(input.AsSpan(0, length), actual);
                if (!actual.SequenceEqual(expected))
                {
                    return false;
                }
            }

            // FIPS 180-4 / NIST example "abc".
            NativeHash("abc"u8, actual);
            return Convert.ToHexStringLower(actual) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or CryptographicException)
        {
            return false;
        }
    }

    private static class Native
    {
        private const string Library = "libcrypto.so.3";

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int SHA256_Init(ref byte context);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int SHA256_Update(ref byte context, ref byte data, nuint length);

        [DllImport(Library, ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int SHA256_Final(ref byte digest, ref byte context);
    }
}
