using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Traces.TestSupport;

/// <summary>
/// Signs as Novyx's checkpoints are signed (RSASSA-PSS-SHA256, MGF1-SHA256, maximum salt: emLen − hLen − 2 bytes), with
/// the RSA-4096 test key: for Novyx trace certificates made in tests under that convention (none is published).
/// </summary>
public static class NovyxTestSigner
{
    /// <summary>RSASSA-PSS-SIGN (RFC 8017 §8.1.1) of <paramref name="message"/> with a random maximum-length salt.</summary>
    public static byte[] SignPssMaximumSalt(byte[] message)
    {
        var p = TestKeys.Rsa.ExportParameters(includePrivateParameters: true);
        var n = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
        var modBits = (int)n.GetBitLength();
        var emLen = (modBits - 1 + 7) / 8;
        var mHash = SHA256.HashData(message);
        var salt = RandomNumberGenerator.GetBytes(emLen - 32 - 2);
        // §9.1.1 steps 5–12: M' = 8 zero bytes || mHash || salt; H = Hash(M'); DB = PS || 0x01 || salt; EM = maskedDB || H || 0xbc.
        var h = SHA256.HashData([.. new byte[8], .. mHash, .. salt]);
        var db = new byte[emLen - 32 - 1];
        db[db.Length - salt.Length - 1] = 0x01;
        salt.CopyTo(db, db.Length - salt.Length);
        var mask = new byte[db.Length];
        for (uint counter = 0, offset = 0; offset < mask.Length; counter++, offset += 32)
        {
            var block = SHA256.HashData([.. h, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter]);
            block.AsSpan(0, (int)Math.Min(32, mask.Length - offset)).CopyTo(mask.AsSpan((int)offset));
        }

        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xFF >> (8 * emLen - (modBits - 1)));
        var m = new BigInteger([.. db, .. h, 0xbc], isUnsigned: true, isBigEndian: true);
        // §8.1.1 step 2: s = m^d mod n (RSASP1, §5.2.1).
        var s = BigInteger.ModPow(m, new BigInteger(p.D, isUnsigned: true, isBigEndian: true), n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var signature = new byte[p.Modulus!.Length];
        s.CopyTo(signature, signature.Length - s.Length);
        return signature;
    }

    /// <summary>A certificate as <c>GET /v1/traces/{id}/certificate</c> shows it, signed over the root hash's UTF-8 text.</summary>
    public static string Certificate(string traceId, string rootHash) =>
        "{\"trace_id\":\"" + traceId + "\",\"integrity_root_hash\":\"" + rootHash + "\",\"signature\":\""
        + Convert.ToBase64String(SignPssMaximumSalt(Encoding.UTF8.GetBytes(rootHash))) + "\",\"public_key\":"
        + System.Text.Json.JsonSerializer.Serialize(TestKeys.RsaPublicPem) + "}";
}
