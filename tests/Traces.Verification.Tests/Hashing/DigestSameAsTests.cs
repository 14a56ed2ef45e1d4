using Traces.Verification.Hashing;

namespace Traces.Verification.Tests.Hashing;

/// <summary><see cref="Digest.SameAs"/> (the verifier's compare of public digests) must agree with <see cref="Digest.Equals(Digest)"/>.</summary>
public class DigestSameAsTests
{
    [Fact]
    public void SameAs_AgreesWithEquals()
    {
        var a = Digest.Compute("a"u8);
        var b = Digest.Compute("b"u8);
        var lastByte = a.Bytes.ToArray();
        lastByte[^1] ^= 1;
        Digest[] digests = [a, Digest.FromBytes(a.Bytes), b, Digest.FromBytes(lastByte), Digest.Zero, default];
        foreach (var x in digests)
        {
            foreach (var y in digests)
            {
                Assert.Equal(x.Equals(y), x.SameAs(y));
            }
        }

        Assert.True(Digest.Zero.SameAs(default));
    }
}
