namespace Traces.Verification.Tests;

public class SmokeTests
{
    [Fact]
    public void Two_IsTwo() => Assert.Equal(2, Placeholder.Two);
}
