using System.Security.Cryptography;
using NSec.Cryptography;

namespace Traces.TestSupport;

/// <summary>
/// Keys that the trust policy of the tests never pins: an "attacker" Ed25519 key (seed 0x42 × 32), another RSA-2048
/// key, and a 1024-bit RSA public key that must be rejected as weak. Fixed (not generated per run) so the tampered
/// vectors in docs/test-vectors reproduce byte for byte. Public knowledge: for tests only.
/// </summary>
public static class AttackerKeys
{
    private static readonly Lazy<Key> s_ed25519 = new(() => Key.Import(SignatureAlgorithm.Ed25519,
        Enumerable.Repeat((byte)0x42, 32).ToArray(), KeyBlobFormat.RawPrivateKey));

    private static readonly Lazy<RSA> s_rsa = new(() =>
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(OtherRsa2048PrivatePem);
        return rsa;
    });

    /// <summary>An Ed25519 key nobody pins.</summary>
    public static Key Ed25519 => s_ed25519.Value;

    /// <summary>An RSA-2048 key nobody pins.</summary>
    public static RSA Rsa => s_rsa.Value;

    /// <summary>A signer using the attacker keys, with deterministic PSS salts.</summary>
    public static TestTraceSigner Signer { get; } = new(Ed25519, Rsa, deterministicSalt: true);

    /// <summary>A 1024-bit RSA public key (SubjectPublicKeyInfo PEM): below the 2048-bit minimum.</summary>
    public const string WeakRsa1024PublicPem = """
        -----BEGIN PUBLIC KEY-----
        MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC/hlym8AY6GQygE0eBTr3Vp09C
        Ses5aQd6hTS+RRw7iJL+Bcqa4g+wbQxQH6f/aqpKl61g+KAdtAtZNnfafA/p2033
        mB1+7FPVM0nGoG/kNA22dx2RmNUKVGxpig91R1UEN+mDE34SiRfLugVbXO+ONIaC
        Iy5gmfXoyJcyfXrbvwIDAQAB
        -----END PUBLIC KEY-----
        """;

    private const string OtherRsa2048PrivatePem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCdntVG98JWyvLc
        1H/ZLiy8azwYLrLcBcfwsw2G0EuScwU06JlFOeQOFRkdigszw2mZGBDvPSNB77Ll
        C7Dlbf+L9K0hZMUEnqkoRNdQBc31vieG/5bKtMvpgnrZtX0bWc4Bavn9c/biW5F6
        bMav7sTC5tYqy7HwDFGzJXxIFliwiyj7EDxsL2edL+ezz2Au6Rlcao0arRjSmbJ0
        siA7Y9VwyAnY+R5qlLUjAztEH78HC/SJPATdOhBQLm5yYyV5DT6NXnWOTvfG3vXa
        zxw3w4TtbgSJlesGJEx5kSwqHFWcjbtWr1LGbZGaHHwtfSBelLadzR1MawZ2tGM3
        wkZOafo5AgMBAAECggEALiaUggwHPgx8YcZijL+lX6HyXY5G1n9m1IZIvqF8jyvY
        aW51ejyCFtF8ohaKQyTDZY0TYElBaov5kHEE4Zh8i4kfrDhqK3kdRGortQWOEZcU
        0cVCbKXVUtDekaI/OGPqGqYs/lYXAp4XEYaKAndh60NVkABGYGfrAA5Ivn60hzQx
        o/oxn4vwV+GeHBQOJgbZFBtMKWdGJ9+0qoCvLIaOeLA352O0kabbq3Za45BQRBhC
        S/D3izKNv5oLWuu3RB2rgzEbeuj35GGuuXPvmKtUwY8Cf4++nBVdkcmXRr35BK9q
        hIPU+sQFMRfptl+9QkTffBptvfx+AktBBVIp6NSidQKBgQDdP1j6n13xC1orgKxd
        Xgd+D2tdAVdhMBS5HqHRMlG466ug+n3mA3C/Zs2FVcAB8MWFh3AWowsrINV1G4pB
        QIPEr6kBhRWU95MW+bE85muyl2quPa6IQqNmkDo+t8RO2Nbvsjzd9L1W32ugIWj6
        HwjBNW4+/pn4y2zixZiWtYH10wKBgQC2YPWa0IT+gNbKCdS1tDmTXQ3pqaABeaT/
        monLxVDGJa/mSvZHLg/kCnDi9UFWOP6j/qUFlctb5BEzOejig/RUMWbdrtiuDFZG
        cYz2RP2CyQPvykeZQCKfPgakA3NJBTZiyIDKkSGkQT8d8qGmEWlvelr5kUCLQ4y5
        T5SfxmRMQwKBgQCNfc2xuemiFdh8qbWRoGi6PbIzsH/pL46RNP3Xg46v7Ee+k3Og
        feLFBUG6W7SHiStI0ezlDTA/TKg2VH5+bHvYdV5oEmxS8GGo99ZZVCLb++nFtLzB
        d5x4IxSct3lb02DhueMjLzlHLWru5W71RpOavEjdEIX3jmD8RdHnz/xk8QKBgQCx
        YucfuBbS7396LUutm+iwMz73+Rr+tFFOpwHFp1okD73hkSGvI9ci5yDbLs5ozbCm
        02OwZfzQmKg+GeIwh0Waqh4yGgD4cFlt1L3VPk8Q6PEiRq2TGjVSi2KsHgsAh8hZ
        FklmPPjqqOd5+mdNffv+CJT5zlRn38C88PFO4gjlvwKBgGGG1cMN3SPAC+Q/N98H
        JCjZeIcfoNvlMdrvP7E4yOHxIkNyJ3PPBWukiDiT/Emj+hNcA3GecedNls1izklW
        ram8M/xL18pt1NWmDGEOvUeGxQ9jMnIeDNHzHpW3Kg/dtnLKCibXMi3VEMnwzFFy
        AoaSQ2+ZeMMbYZ4jPK4P/2EO
        -----END PRIVATE KEY-----
        """;
}
