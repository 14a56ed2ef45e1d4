using System.Numerics;
using System.Security.Cryptography;

namespace Traces.Verification.Signatures;

/// <summary>
/// RSA signature verification: RSASSA-PKCS1-v1_5 and RSASSA-PSS with any salt length (RFC 8017 §8).
/// Stateless and thread-safe; returns false for every invalid or malformed signature and never throws for bad input.
/// </summary>
public static class RsaVerifier
{
    private static ReadOnlySpan<byte> EightZeros => [0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="message"/> with <paramref name="key"/> under
    /// <paramref name="scheme"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="scheme"/> is null.</exception>
    public static bool Verify(RsaPublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, RsaSignatureScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(scheme);

        // RFC 8017 §8.1.2 / §8.2.2 step 1: the signature is exactly k bytes.
        if (signature.Length != key.ModulusLength)
        {
            return false;
        }

        if (scheme.Padding == RSASignaturePaddingMode.Pkcs1)
        {
            return VerifyWithFramework(key, message, signature, scheme.Hash, RSASignaturePadding.Pkcs1);
        }

        if (scheme.IsFrameworkPss)
        {
            return VerifyWithFramework(key, message, signature, scheme.Hash, RSASignaturePadding.Pss);
        }

        return VerifyPss(key, message, signature, scheme.Hash, scheme.Mgf1Hash, scheme.SaltLength);
    }

    /// <summary>
    /// RSASSA-PSS-VERIFY (RFC 8017 §8.1.2) implemented here on the raw public operation. .NET's
    /// <see cref="RSASignaturePadding.Pss"/> fixes the salt length to the hash length and MGF1's hash to the message
    /// hash, so signatures with any other salt (such as Novyx's maximum-length salt) or MGF1 hash need this path.
    /// Internal so that tests can run framework-compatible vectors through it too.
    /// </summary>
    internal static bool VerifyPss(
        RsaPublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature,
        HashAlgorithmName hash, HashAlgorithmName mgf1Hash, int saltLength)
    {
        // §8.1.2 step 1: length checking.
        var k = key.ModulusLength;
        if (signature.Length != k)
        {
            return false;
        }

        // §8.1.2 step 2a: s = OS2IP(S).
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);

        // §8.1.2 step 2b: m = RSAVP1((n, e), s); §5.2.2 step 1: s must lie in [0, n − 1].
        if (s >= key.N)
        {
            return false;
        }

        var m = BigInteger.ModPow(s, key.E, key.N);

        // §8.1.2 step 2c: EM = I2OSP(m, emLen) with emBits = modBits − 1, emLen = ⌈emBits / 8⌉.
        // I2OSP fails ("integer too large") when m needs more than emLen bytes.
        var emBits = key.KeySizeBits - 1;
        var emLen = (emBits + 7) / 8;
        var mLength = m.GetByteCount(isUnsigned: true);
        if (mLength > emLen)
        {
            return false;
        }

        var em = new byte[emLen];
        if (!m.TryWriteBytes(em.AsSpan(emLen - mLength), out _, isUnsigned: true, isBigEndian: true))
        {
            return false;
        }

        // §8.1.2 step 3: EMSA-PSS verification.
        return EmsaPssVerify(message, em, emBits, hash, mgf1Hash, saltLength);
    }

    /// <summary>EMSA-PSS-VERIFY (M, EM, emBits), RFC 8017 §9.1.2. True for "consistent".</summary>
    internal static bool EmsaPssVerify(
        ReadOnlySpan<byte> message, ReadOnlySpan<byte> em, int emBits,
        HashAlgorithmName hash, HashAlgorithmName mgf1Hash, int saltLength)
    {
        if (!HashFunctions.IsSupported(hash) || !HashFunctions.IsSupported(mgf1Hash))
        {
            return false;
        }

        var emLen = em.Length;
        if (emLen != (emBits + 7) / 8)
        {
            return false;
        }

        // Step 1: the hash input limit (2^61 − 1 bytes for SHA-1/SHA-256) cannot be reached by a span.
        // Step 2: mHash = Hash(M).
        var hLen = HashFunctions.GetLength(hash);
        Span<byte> mHash = stackalloc byte[64];
        mHash = mHash[..hLen];
        HashFunctions.Hash(hash, message, mHash);

        // Step 3: if emLen < hLen + sLen + 2, inconsistent. For Maximum, sLen is the largest value that passes;
        // for Recover, sLen is only known at step 10 and the smallest possible (0) is checked here.
        var sLen = saltLength switch
        {
            PssSaltLength.Maximum => emLen - hLen - 2,
            PssSaltLength.Recover => 0,
            _ => saltLength,
        };
        if (sLen < 0 || emLen < hLen + sLen + 2)
        {
            return false;
        }

        // Step 4: the rightmost octet of EM must be 0xbc.
        if (em[^1] != 0xbc)
        {
            return false;
        }

        // Step 5: maskedDB = the leftmost emLen − hLen − 1 octets of EM, H = the next hLen octets.
        var dbLen = emLen - hLen - 1;
        var maskedDb = em[..dbLen];
        var h = em.Slice(dbLen, hLen);

        // Step 6: the leftmost 8·emLen − emBits bits of maskedDB's first octet must be zero.
        var zeroBits = (8 * emLen) - emBits;
        var topBitsMask = (byte)(0xFF00 >> zeroBits);
        if ((maskedDb[0] & topBitsMask) != 0)
        {
            return false;
        }

        // Step 7: dbMask = MGF(H, emLen − hLen − 1).
        var db = new byte[dbLen];
        Mgf1(mgf1Hash, h, db);

        // Step 8: DB = maskedDB ⊕ dbMask.
        for (var i = 0; i < dbLen; i++)
        {
            db[i] ^= maskedDb[i];
        }

        // Step 9: set the leftmost 8·emLen − emBits bits of DB's first octet to zero.
        db[0] &= (byte)(0xFF >> zeroBits);

        // Step 10: the leftmost emLen − hLen − sLen − 2 octets of DB (PS) must be zero and the next octet 0x01.
        // With Recover, the first non-zero octet must be that 0x01; its position fixes sLen.
        int separator;
        if (saltLength == PssSaltLength.Recover)
        {
            separator = db.AsSpan().IndexOfAnyExcept((byte)0x00);
            if (separator < 0)
            {
                return false;
            }

            sLen = dbLen - separator - 1;
        }
        else
        {
            separator = emLen - hLen - sLen - 2;
            if (db.AsSpan(0, separator).ContainsAnyExcept((byte)0x00))
            {
                return false;
            }
        }

        if (db[separator] != 0x01)
        {
            return false;
        }

        // Step 11: salt = the last sLen octets of DB.
        var salt = db.AsSpan(dbLen - sLen);

        // Step 12: M' = (0x)00 00 00 00 00 00 00 00 || mHash || salt.
        var mPrime = new byte[8 + hLen + sLen];
        EightZeros.CopyTo(mPrime);
        mHash.CopyTo(mPrime.AsSpan(8));
        salt.CopyTo(mPrime.AsSpan(8 + hLen));

        // Step 13: H' = Hash(M').
        Span<byte> hPrime = stackalloc byte[64];
        hPrime = hPrime[..hLen];
        HashFunctions.Hash(hash, mPrime, hPrime);

        // Step 14: consistent iff H = H'.
        return CryptographicOperations.FixedTimeEquals(h, hPrime);
    }

    /// <summary>MGF1 (RFC 8017 §B.2.1): T = Hash(seed || C(0)) || Hash(seed || C(1)) || …, truncated to the mask length.</summary>
    internal static void Mgf1(HashAlgorithmName hash, ReadOnlySpan<byte> seed, Span<byte> mask)
    {
        var hLen = HashFunctions.GetLength(hash);
        var input = new byte[seed.Length + 4];
        seed.CopyTo(input);
        Span<byte> block = stackalloc byte[64];
        block = block[..hLen];

        // Step 3: for counter from 0 to ⌈maskLen / hLen⌉ − 1, C = I2OSP(counter, 4), T = T || Hash(mgfSeed || C).
        for (uint counter = 0, offset = 0; offset < mask.Length; counter++, offset += (uint)hLen)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(seed.Length), counter);
            HashFunctions.Hash(hash, input, block);
            var take = Math.Min(hLen, mask.Length - (int)offset);
            block[..take].CopyTo(mask[(int)offset..]);
        }
    }

    private static bool VerifyWithFramework(
        RsaPublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        try
        {
            // A fresh platform key per call keeps RsaPublicKey free of shared mutable handles (thread safety);
            // importing (n, e) costs far less than the verification itself.
            using var rsa = RSA.Create();
            rsa.ImportParameters(key.Parameters);
            return rsa.VerifyData(message, signature, hash, padding);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
