using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;

namespace Traces.Cli.Tests.Developer;

public sealed class EndpointCommandTests(LocalServerFixture fixture) : IClassFixture<LocalServerFixture>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SealWaitProofPublicKey_ThenVerify_IsValid_AndTheApiKeyIsNeverPrinted()
    {
        var traceId = await fixture.CreateTraceAsync("CLI round trip", 3, Cancel);
        using var temp = new TempDirectory();
        var bundle = temp.File("bundle.json");
        var keys = temp.File("keys.json");
        var outputs = new List<CliResult>();

        async Task<CliResult> Run(params string[] args)
        {
            var result = await Tool.RunAsync(new TestConsole(environment: fixture.Environment), args);
            outputs.Add(result);
            return result;
        }

        var seal = await Run("seal", traceId, "--wait");
        var proof = await Run("proof", traceId, "--out", bundle);
        var publicKey = await Run("public-key", "--out", keys);
        var verify = await Run("verify", bundle, "--trust", keys, "--json");

        Assert.True(seal.ExitCode == 0, seal.ToString());
        Assert.StartsWith($"Sealed {traceId}\n  Entries         3\n  Composite hash  sha256:", seal.Out, StringComparison.Ordinal);
        Assert.True(proof.ExitCode == 0, proof.ToString());
        Assert.StartsWith($"Wrote {bundle}: trace {traceId}, 3 entries, composite sha256:", proof.Out, StringComparison.Ordinal);
        Assert.True(publicKey.ExitCode == 0, publicKey.ToString());
        Assert.Contains("  ed25519  entries", publicKey.Out, StringComparison.Ordinal);
        Assert.Contains("  rsa-pss-sha256  certificates", publicKey.Out, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == ExitCodes.Valid, verify.ToString());
        var json = verify.Json();
        Assert.Equal("Valid", json.GetProperty("verdict").GetString());
        Assert.Equal(traceId, json.GetProperty("trace_id").GetString());
        Assert.Equal(3, json.GetProperty("entry_count").GetInt64());
        Assert.Contains($"composite {json.GetProperty("composite_hash").GetString()}.", proof.Out, StringComparison.Ordinal);
        Assert.All(outputs, o => Assert.DoesNotContain(fixture.Server.ApiKey, o.Out + o.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListAndGet_WithEndpointOptions_ShowTheTrace_WithoutTheKey()
    {
        var traceId = await fixture.CreateTraceAsync("Listed by the CLI", 2, Cancel);
        string[] endpoint = ["--endpoint", fixture.Server.BaseAddress.ToString(), "--api-key", fixture.Server.ApiKey];

        var list = await Tool.RunAsync(["list", "--all", "--limit", "2", .. endpoint]);
        var open = await Tool.RunAsync(["list", "--status", "open", .. endpoint]);
        var get = await Tool.RunAsync(["get", traceId, .. endpoint]);

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.StartsWith("TRACE ID", list.Out, StringComparison.Ordinal);
        Assert.Contains(list.Out.Split('\n'), l => l.StartsWith(traceId, StringComparison.Ordinal) && l.Contains("  open  ", StringComparison.Ordinal) && l.EndsWith("Listed by the CLI", StringComparison.Ordinal));
        Assert.Equal(0, open.ExitCode);
        Assert.Contains(traceId, open.Out, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains($"Trace           {traceId}\n", get.Out, StringComparison.Ordinal);
        Assert.Contains("Label           Listed by the CLI\n", get.Out, StringComparison.Ordinal);
        Assert.Contains("Status          open\n", get.Out, StringComparison.Ordinal);
        Assert.Contains("Entries         2\n", get.Out, StringComparison.Ordinal);
        Assert.Contains("  agent.step  ", get.Out, StringComparison.Ordinal);
        foreach (var result in new[] { list, open, get })
        {
            Assert.DoesNotContain(fixture.Server.ApiKey, result.Out + result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListAndGet_WithJson_PrintTheTraceAndItsEntriesAsJson()
    {
        var traceId = await fixture.CreateTraceAsync("Listed as JSON", 2, Cancel);
        string[] endpoint = ["--endpoint", fixture.Server.BaseAddress.ToString(), "--api-key", fixture.Server.ApiKey];

        var list = await Tool.RunAsync(["list", "--all", "--json", .. endpoint]);
        var get = await Tool.RunAsync(["get", traceId, "--json", .. endpoint]);

        Assert.True(list.ExitCode == 0, list.ToString());
        var listed = list.Json();
        var row = listed.GetProperty("traces").EnumerateArray().Single(t => t.GetProperty("trace_id").GetString() == traceId);
        Assert.Equal("open", row.GetProperty("status").GetString());
        Assert.Equal(2, row.GetProperty("event_count").GetInt64());
        Assert.Equal("Listed as JSON", row.GetProperty("label").GetString());
        Assert.Equal(listed.GetProperty("traces").GetArrayLength(), listed.GetProperty("count").GetInt32());
        Assert.False(listed.GetProperty("has_more").GetBoolean());

        Assert.True(get.ExitCode == 0, get.ToString());
        var trace = get.Json();
        Assert.Equal(traceId, trace.GetProperty("trace_id").GetString());
        var events = trace.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([0L, 1L], events.Select(e => e.GetProperty("index").GetInt64()));
        Assert.Equal(JsonValueKind.Null, events[0].GetProperty("previous_chain_hash").ValueKind);
        Assert.Equal(events[0].GetProperty("chain_hash").GetString(), events[1].GetProperty("previous_chain_hash").GetString());
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$", events[1].GetProperty("ingested_at").GetString());
        Assert.DoesNotContain(fixture.Server.ApiKey, list.Out + get.Out + list.Error + get.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seal_WithoutWait_SaysItStarted()
    {
        var traceId = await fixture.CreateTraceAsync("Sealed without waiting", 1, Cancel);

        var result = await Tool.RunAsync(new TestConsole(environment: fixture.Environment), "seal", traceId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"Sealing {traceId} started", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownTrace_PrintsTheServiceCodeAndExitsFour()
    {
        var result = await Tool.RunAsync(new TestConsole(environment: fixture.Environment), "get", "tr_00000000000000000000000000");

        Assert.Equal(ExitCodes.ServiceError, result.ExitCode);
        Assert.StartsWith("error: trace_not_found: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Proof_OfAnOpenTrace_PrintsTheServiceCodeAndExitsFour()
    {
        var traceId = await fixture.CreateTraceAsync("Not sealed", 1, Cancel);

        var result = await Tool.RunAsync(new TestConsole(environment: fixture.Environment), "proof", traceId);

        Assert.Equal(ExitCodes.ServiceError, result.ExitCode);
        Assert.StartsWith("error: trace_not_sealed: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithAWrongKey_ExitsFour_AndDoesNotPrintTheKey()
    {
        const string wrongKey = "tk_wrong_key_that_must_not_be_printed";

        var result = await Tool.RunAsync("list", "--endpoint", fixture.Server.BaseAddress.ToString(), "--api-key", wrongKey);

        Assert.Equal(ExitCodes.ServiceError, result.ExitCode);
        Assert.StartsWith("error: unauthorized: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, result.Out + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_WithoutEndpoint_ExitsThree()
    {
        var result = await Tool.RunAsync("list");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal("error: No endpoint: pass --endpoint <url> or set TRACES_ENDPOINT (for a local server, run 'traces serve').\n", result.Error);
    }

    [Fact]
    public async Task List_WithARelativeEndpoint_ExitsThree()
    {
        var result = await Tool.RunAsync("list", "--endpoint", "localhost/api");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal("error: The endpoint 'localhost/api' is not an absolute http(s) URL.\n", result.Error);
    }
}
