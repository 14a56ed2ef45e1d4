using Traces.Client.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>
/// Values that cannot work are refused before anything is sent, with an <see cref="ArgumentException"/> that names
/// the member, the value (never an API key) and what is expected.
/// </summary>
[Collection(nameof(EnvironmentVariables))]
public sealed class ArgumentEdgeTests : WireMockTestBase
{
    [Theory]
    [InlineData("127.0.0.1:5090", "http://127.0.0.1:5090")]
    [InlineData("localhost:5090", "http://localhost:5090")]
    [InlineData("traces.example.com", "http://traces.example.com")]
    [InlineData("ftp://traces.example.com", "https://traces.example.com")]
    public void EndpointVariable_WithoutHttpScheme_IsArgumentExceptionNamingVariableValueAndFix(string value, string hint)
    {
        Environment.SetEnvironmentVariable(TracesClientOptions.EndpointEnvironmentVariable, value);
        try
        {
            var ex = Assert.Throws<ArgumentException>(() => new TracesClient(new TracesClientOptions { ApiKey = ApiKey }));

            Assert.Equal("Endpoint", ex.ParamName);
            Assert.Equal($"TRACES_ENDPOINT is '{value}', which is not an absolute http or https URI; expected one such as '{hint}'. (Parameter 'Endpoint')",
                ex.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TracesClientOptions.EndpointEnvironmentVariable, null);
        }
    }

    [Theory]
    [InlineData("/v1/traces", UriKind.Relative)]
    [InlineData("file:///tmp/traces", UriKind.Absolute)]
    [InlineData("ws://127.0.0.1:5090", UriKind.Absolute)]
    public void Endpoint_NotAbsoluteHttp_IsArgumentException(string value, UriKind kind)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TracesClient(new TracesClientOptions { Endpoint = new Uri(value, kind), ApiKey = ApiKey }));

        Assert.Equal("Endpoint", ex.ParamName);
        Assert.Equal($"TracesClientOptions.Endpoint is '{value}', which is not an absolute http or https URI; expected one such as " +
            "'https://traces.example.com'. (Parameter 'Endpoint')", ex.Message);
    }

    [Theory]
    [InlineData(TracesAuthHeaderStyle.ApiKeyHeader, "tk_live_abc\r\nX-Injected: 1", "U+000D at index 11")]
    [InlineData(TracesAuthHeaderStyle.Bearer, "tk_live_abc\r\nX-Injected: 1", "U+000D at index 11")]
    [InlineData(TracesAuthHeaderStyle.Bearer, "tk_live_abc\n", "U+000A at index 11")]
    [InlineData(TracesAuthHeaderStyle.ApiKeyHeader, "tk live", "U+0020 at index 2")]
    [InlineData(TracesAuthHeaderStyle.ApiKeyHeader, "tk_clé", "U+00E9 at index 5")]
    [InlineData(TracesAuthHeaderStyle.Bearer, "tk\0", "U+0000 at index 2")]
    public void ApiKey_ThatCannotBeAHeaderValue_IsRefusedUpFront_AndNeverSent(TracesAuthHeaderStyle style, string key, string where)
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithBody("""{"trace_id":"tr_1"}"""));

        var ex = Assert.Throws<ArgumentException>(() => CreateClient(o =>
        {
            o.ApiKey = key;
            o.AuthHeaderStyle = style;
        }));

        Assert.Equal("ApiKey", ex.ParamName);
        Assert.Equal($"TracesClientOptions.ApiKey holds {where}, which cannot be sent in an HTTP header; an API key is printable ASCII " +
            "without spaces or line breaks. Nothing was sent. (Parameter 'ApiKey')", ex.Message);
        Assert.DoesNotContain("tk_live_abc", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public void ApiKeyVariable_WithLineBreak_IsRefused_NamingTheVariable()
    {
        Environment.SetEnvironmentVariable(TracesClientOptions.ApiKeyEnvironmentVariable, "tk_env\r\n");
        try
        {
            var ex = Assert.Throws<ArgumentException>(() => new TracesClient(new TracesClientOptions { Endpoint = new Uri(Server.Url!) }));

            Assert.Equal("ApiKey", ex.ParamName);
            Assert.StartsWith("TRACES_API_KEY holds U+000D at index 6, which cannot be sent in an HTTP header;", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TracesClientOptions.ApiKeyEnvironmentVariable, null);
        }
    }

    [Fact]
    public async Task AddStep_WithoutType_IsArgumentExceptionNamingTheMember()
    {
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.Traces.AddStepAsync("tr_1", new AddStepRequest { Content = "x" }, Ct));

        Assert.Equal("request", ex.ParamName);
        Assert.Equal("AddStepRequest.Type is required but is empty; expected a step type such as StepType.Thought (THOUGHT, ACTION, " +
            "OBSERVATION, OUTPUT, ERROR or POLICY_CHECK). (Parameter 'request')", ex.Message);
        Assert.Empty(Server.LogEntries);
    }

    [Fact]
    public async Task OtherRequests_WithoutTheirRequiredMember_AreArgumentExceptionsNamingIt()
    {
        using var client = CreateClient();

        var evt = await Assert.ThrowsAsync<ArgumentException>(() => client.Events.RecordAsync(new RecordEventRequest(), Ct));
        var doc = await Assert.ThrowsAsync<ArgumentException>(() => client.Documents.AnchorAsync(new AnchorDocumentRequest { DocumentHash = "  " }, Ct));
        var att = await Assert.ThrowsAsync<ArgumentException>(() => client.Attestations.CreateAsync(new CreateAttestationRequest { Type = "" }, Ct));

        Assert.Equal("RecordEventRequest.EventType is required but is null; expected an event type such as 'invoice.received'. (Parameter 'request')", evt.Message);
        Assert.Equal("AnchorDocumentRequest.DocumentHash is required but is '  ' (white space only); expected 64 hex digits (the document's SHA-256). (Parameter 'request')", doc.Message);
        Assert.Equal("CreateAttestationRequest.Type is required but is empty; expected an attestation type such as 'output'. (Parameter 'request')", att.Message);
        Assert.Empty(Server.LogEntries);
    }
}
