using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;

namespace Traces.Cli.Tests.Developer;

public sealed class ApiKeyRefusedTests
{
    [Fact]
    public async Task EndpointCommand_WithALineBreakInTheKey_IsOneErrorLine_ExitThree_AndTheKeyIsNotPrinted()
    {
        // Port 9 (discard) on loopback: nothing is sent anyway, the client refuses the key before building a request.
        var result = await Tool.RunAsync("list", "--endpoint", "http://127.0.0.1:9", "--api-key", "tk_secret\r\nX-Injected: 1");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal("error: TracesClientOptions.ApiKey holds U+000D at index 9, which cannot be sent in an HTTP header; an API key is " +
            "printable ASCII without spaces or line breaks. Nothing was sent. (Parameter 'ApiKey')\n", result.Error);
        Assert.DoesNotContain("tk_secret", result.Out + result.Error, StringComparison.Ordinal);
    }
}
