using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;
using Traces.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Traces.Cli.Tests.Developer;

/// <summary><c>list</c> and <c>get</c> with <c>--vendor</c>, and <c>export</c>, against WireMock answering as the vendors do.</summary>
public sealed class VendorCommandTests : IDisposable
{
    private const string Key = "ai_SECRET_key_never_printed_0123456789";
    private readonly WireMockServer _server = WireMockServer.Start();

    private static byte[] Capture(string file) => File.ReadAllBytes(TestVectors.PathOf("sidclaw", "responses", file));

    private Task<CliResult> Run(params string[] args) =>
        Tool.RunAsync(new TestConsole(), [.. args, "--endpoint", _server.Url!, "--api-key", Key]);

    [Fact]
    public async Task GetSidClaw_Out_WritesTheDocumentByteForByte()
    {
        var body = Capture("03-trace-detail-allow_success.body.json");
        _server.Given(Request.Create().WithPath("/api/v1/traces/7443a892-1996-43a8-873e-5582def2840b").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body));
        using var temp = new TempDirectory();
        var file = temp.File("trace.json");

        var result = await Run("get", "7443a892-1996-43a8-873e-5582def2840b", "--vendor", "sidclaw", "--out", file);

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal(body, File.ReadAllBytes(file));
        Assert.Equal($"Wrote {file} ({body.Length} bytes, as the server sent them).\n", result.Out);
        var sent = Assert.Single(_server.LogEntries);
        Assert.Equal("Bearer " + Key, sent.RequestMessage!.Headers!["Authorization"].Single());
    }

    [Fact]
    public async Task ExportSidClaw_Csv_StreamsTheAuditExportToTheFile()
    {
        var body = Capture("46-audit-export-csv.body.csv");
        _server.Given(Request.Create().WithPath("/api/v1/audit/export").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/csv").WithHeader("x-total-count", "61").WithBody(body));
        using var temp = new TempDirectory();
        var file = temp.File("audit.csv");

        var result = await Run("export", "--vendor", "sidclaw", "--from", "2026-11-30T06:27:54.669Z", "--to", "2026-12-03T06:27:54.670Z", "--format", "csv", "--out", file);

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal(body, File.ReadAllBytes(file));
        Assert.Equal($"Wrote {file} ({body.Length} bytes, 61 events, csv).\n", result.Out);
        Assert.Equal("?from=2026-11-30T06%3A27%3A54.669Z&to=2026-12-03T06%3A27%3A54.670Z&format=csv", Assert.Single(_server.LogEntries).RequestMessage!.RawQuery);
    }

    [Fact]
    public async Task ExportSidClaw_Forbidden_IsExit4WithTheVendorsCode_AndNoFile()
    {
        _server.Given(Request.Create().WithPath("/api/v1/audit/export").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody(Capture("47-audit-export-runtime-key-403.body.json")));
        using var temp = new TempDirectory();
        var file = temp.File("audit.json");

        var result = await Run("export", "--vendor", "sidclaw", "--from", "2026-11-30T00:00:00Z", "--to", "2026-12-03T00:00:00Z", "--out", file);

        Assert.Equal(ExitCodes.ServiceError, result.ExitCode);
        Assert.StartsWith("error: forbidden: API key does not have the required scope", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Out + result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task ListStateBase_All_FollowsStartingAfter()
    {
        _server.Given(Request.Create().WithPath("/v1/traces").WithParam("starting_after", "t2").UsingGet())
            .RespondWith(Response.Create().WithBody("""{"object":"list","data":[{"id":"t3","action":"turn.added","timestamp":"2026-01-31T04:44:30Z","session_id":"sess_1"}],"has_more":false}"""));
        _server.Given(Request.Create().WithPath("/v1/traces").UsingGet()).AtPriority(10)
            .RespondWith(Response.Create().WithBody("""{"object":"list","data":[{"id":"t1","action":"state.updated","timestamp":"2026-01-31T04:45:00Z"},{"id":"t2","action":"state.rolled_back"}],"has_more":true}"""));

        var result = await Run("list", "--vendor", "statebase", "--all", "--limit", "2");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal(
            "TRACE ID  ACTION             TIMESTAMP             SESSION\n" +
            "t1        state.updated      2026-01-31T04:45:00Z\n" +
            "t2        state.rolled_back\n" +
            "t3        turn.added         2026-01-31T04:44:30Z  sess_1\n" +
            "3 item(s).\n",
            result.Out);
        Assert.All(_server.LogEntries, e => Assert.Equal(Key, e.RequestMessage!.Headers!.Single(h => string.Equals(h.Key, "X-API-Key", StringComparison.OrdinalIgnoreCase)).Value.Single()));
    }

    [Fact]
    public async Task ListNovyx_OnePage_SaysWhenMoreExist()
    {
        _server.Given(Request.Create().WithPath("/v1/traces").UsingGet())
            .RespondWith(Response.Create().WithBody("""{"traces":[{"trace_id":"trc_1","status":"completed","created_at":"2026-03-09T15:00:00Z","agent_id":"agent-001"}],"total":7}"""));

        var result = await Run("list", "--vendor", "novyx");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal(
            "TRACE ID  STATUS     CREATED               AGENT\n" +
            "trc_1     completed  2026-03-09T15:00:00Z  agent-001\n" +
            "1 item(s).\nMore exist; run with --all for every page.\n",
            result.Out);
    }

    [Fact]
    public async Task GetSidClaw_Unknown_IsExit4WithNotFound()
    {
        _server.Given(Request.Create().WithPath("/api/v1/traces/nope").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"error":"not_found","message":"Trace 'nope' not found","status":404,"request_id":"r1"}"""));

        var result = await Run("get", "nope", "--vendor", "sidclaw");

        Assert.Equal(ExitCodes.ServiceError, result.ExitCode);
        Assert.Equal("error: not_found: Trace 'nope' not found (status 404, code not_found, request id r1)\n", result.Error);
    }

    [Fact]
    public async Task ListZenMesh_WithoutTenant_IsUnusableInput()
    {
        if (Environment.GetEnvironmentVariable("ZEN_TENANT_ID") is { Length: > 0 })
        {
            Assert.Skip("ZEN_TENANT_ID is set in this environment, so the command has a tenant.");
        }

        var result = await Run("list", "--vendor", "zenmesh");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("ZEN_TENANT_ID", result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.LogEntries);
    }

    [Fact]
    public async Task GetZenMesh_WithTenant_WritesTheEventsDeliveryTrace()
    {
        _server.Given(Request.Create().WithPath("/v1/tenants/ten_1/deliveries").WithParam("event_id", "evt_1").UsingGet())
            .RespondWith(Response.Create().WithBody("""{"deliveries":[{"id":"del_001","event_id":"evt_1","status":"delivered"}]}"""));

        var result = await Run("get", "evt_1", "--vendor", "zenmesh", "--tenant", "ten_1");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal("""{"deliveries":[{"id":"del_001","event_id":"evt_1","status":"delivered"}]}""" + "\n", result.Out);
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }
}
