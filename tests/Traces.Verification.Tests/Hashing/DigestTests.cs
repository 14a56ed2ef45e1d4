using Traces.Verification.Hashing;

namespace Traces.Verification.Tests.Hashing;

public class DigestTests
{
    [Fact]
    public void Compute_OfEmptyInput_IsTheSha256OfNothing() =>
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest.Compute([]).ToString());

    [Theory]
    [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_RejectsNonCanonicalForms(string? text) => Assert.False(Digest.TryParse(text, out _));

    [Fact]
    public void Parse_RoundTripsTheCanonicalForm()
    {
        const string text = "sha256:5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";
        var digest = Digest.Parse(text);
        Assert.Equal(text, digest.ToString());
        Assert.Equal(Digest.FromBytes(Convert.FromHexString(text[7..])), digest);
    }

    [Fact]
    public void Default_ReadsAsZero() => Assert.Equal(Digest.Zero, default);
}
