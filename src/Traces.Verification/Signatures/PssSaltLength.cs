namespace Traces.Verification.Signatures;

/// <summary>Special RSASSA-PSS salt lengths for <see cref="RsaSignatureScheme.Pss(System.Security.Cryptography.HashAlgorithmName, int)"/>.</summary>
public static class PssSaltLength
{
    /// <summary>
    /// Accept any salt length: recover it from the position of the 0x01 separator in DB (RFC 8017 §9.1.2 step 10).
    /// </summary>
    public const int Recover = -1;

    /// <summary>The largest salt the key allows: emLen − hLen − 2 (478 bytes for RSA-4096 with SHA-256).</summary>
    public const int Maximum = -2;
}
