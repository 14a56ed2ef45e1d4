using System.Text;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Verification.Tests.Vendors.SidClaw;

public class SidClawHeadPinsTests
{
    private static readonly string s_hash = "E4B04731732c29fdb6f2da2721276c06971a5d182498a094990ca35b637d4cc8";

    [Fact]
    public void TryParseArgument_SplitsAtTheLastEquals_AndCreateLowercasesTheHead()
    {
        Assert.True(SidClawHeadPins.TryParseArgument($"sidclaw:trace=with=equals={s_hash}", out var pin, out var error));
        Assert.Null(error);
        Assert.Equal("trace=with=equals", pin.Key);

        var pins = SidClawHeadPins.Create([pin]);
        Assert.True(pins.TryGetHead("trace=with=equals", out var head));
        Assert.Equal(s_hash.ToLowerInvariant(), head);
    }

    [Theory]
    [InlineData("sidclaw:trace=abc")]
    [InlineData("sidclaw:=e4b04731732c29fdb6f2da2721276c06971a5d182498a094990ca35b637d4cc8")]
    [InlineData("sidclaw:trace=g4b04731732c29fdb6f2da2721276c06971a5d182498a094990ca35b637d4cc8")]
    [InlineData("sidclaw:trace")]
    public void TryParseArgument_BadPin_SaysWhy(string text)
    {
        Assert.False(SidClawHeadPins.TryParseArgument(text, out _, out var error));
        Assert.Equal($"'{text}' is not sidclaw:<trace_id>=<64 hex digits>.", error);
    }

    [Fact]
    public void TryParseArgument_OtherTrustForms_AreNotSidClawPins()
    {
        Assert.False(SidClawHeadPins.TryParseArgument("keys/public.pem", out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Create_SameTraceTwoHeads_IsRejected_SameHeadTwice_IsOne()
    {
        var other = new string('a', 64);
        Assert.Throws<ArgumentException>(() => SidClawHeadPins.Create([new("t", s_hash), new("t", other)]));
        Assert.Equal(1, SidClawHeadPins.Create([new("t", s_hash), new("t", s_hash.ToLowerInvariant())]).Count);
    }

    [Fact]
    public void PinFile_IsRecognisedAndRead()
    {
        var file = Encoding.UTF8.GetBytes("{\"comment\":\"taken 2026-12-02\",\"sidclaw_heads\":{\"t1\":\"" + s_hash + "\",\"t2\":\"" + new string('b', 64) + "\"}}");

        Assert.True(SidClawHeadPins.IsPinFile(file));
        var pins = SidClawHeadPins.Create(SidClawHeadPins.ParseFile(file));
        Assert.Equal(["t1", "t2"], pins.TraceIds.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("{\"keys\":[]}")]
    [InlineData("[]")]
    [InlineData("not json")]
    public void OtherJson_IsNotAPinFile(string json) => Assert.False(SidClawHeadPins.IsPinFile(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("{\"sidclaw_heads\":[]}")]
    [InlineData("{\"sidclaw_heads\":{\"t\":1}}")]
    [InlineData("{\"sidclaw_heads\":{\"t\":\"a\",\"t\":\"b\"}}")]
    public void BadPinFile_IsAFormatException(string json) =>
        Assert.Throws<FormatException>(() => SidClawHeadPins.ParseFile(Encoding.UTF8.GetBytes(json)));
}
