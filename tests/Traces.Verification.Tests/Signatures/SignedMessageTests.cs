using System.Text;
using Traces.Verification.Hashing;
using Traces.Verification.Signatures;

namespace Traces.Verification.Tests.Signatures;

public class SignedMessageTests
{
    private static readonly Digest s_digest =
        Digest.Parse("sha256:5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    [Fact]
    public void Labels_HaveTheirSpecifiedValues()
    {
        Assert.Equal("traces/v1/event", SignatureLabels.Event);
        Assert.Equal("traces/v1/certificate", SignatureLabels.Certificate);
    }

    [Fact]
    public void Create_IsLabelThenZeroThenRawDigest()
    {
        var expected = Convert.FromHexString(
            "7472616365732f76312f6576656e74" + "00" + "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        Assert.Equal(expected, SignedMessage.Create(SignatureLabels.Event, s_digest));
        Assert.Equal(15 + 1 + 32, SignedMessage.GetLength(SignatureLabels.Event));
    }

    [Fact]
    public void Create_ForCertificateLabel_DiffersFromEventLabel()
    {
        var certificate = SignedMessage.Create(SignatureLabels.Certificate, s_digest);
        Assert.Equal([.. Encoding.ASCII.GetBytes("traces/v1/certificate"), 0x00, .. s_digest.Bytes], certificate);
        Assert.NotEqual(SignedMessage.Create(SignatureLabels.Event, s_digest), certificate);
    }

    [Fact]
    public void TryWrite_WritesTheSameBytesAsCreate()
    {
        Span<byte> buffer = stackalloc byte[100];
        buffer.Fill(0xAA);
        Assert.True(SignedMessage.TryWrite(SignatureLabels.Certificate, s_digest, buffer, out var written));
        Assert.Equal(21 + 1 + 32, written);
        Assert.Equal(SignedMessage.Create(SignatureLabels.Certificate, s_digest), buffer[..written].ToArray());
        Assert.Equal(0xAA, buffer[written]);
    }

    [Fact]
    public void TryWrite_WhenDestinationTooSmall_ReturnsFalseAndWritesNothing()
    {
        var buffer = new byte[15 + 32]; // one byte short
        Assert.False(SignedMessage.TryWrite(SignatureLabels.Event, s_digest, buffer, out var written));
        Assert.Equal(0, written);
        Assert.All(buffer, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("")]
    [InlineData("traces\0v1")]
    [InlineData("tracés")]
    [InlineData("traces/v1\n")]
    [InlineData("\u007f")]
    public void Create_WhenLabelIsNotPrintableAscii_ThrowsArgumentException(string label)
    {
        Assert.ThrowsAny<ArgumentException>(() => SignedMessage.Create(label, s_digest));
        Assert.ThrowsAny<ArgumentException>(() => SignedMessage.TryWrite(label, s_digest, new byte[100], out _));
    }

    [Fact]
    public void Create_WhenLabelIsNull_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => SignedMessage.Create(null!, s_digest));
}
