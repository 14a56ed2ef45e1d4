using System.Security.Cryptography;
using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;

namespace Traces.Cli.Tests.Developer;

/// <summary>
/// A trace made, sealed, exported, verified and read with the CLI alone (issue 8 §4), against an in-process local server.
/// </summary>
public sealed class AuthoringCommandTests(LocalServerFixture fixture) : IClassFixture<LocalServerFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<CliResult> Run(params string[] args) => await Tool.RunAsync(new TestConsole(environment: fixture.Environment), args);

    [Fact]
    public async Task WholeLifecycle_WithTheCliAlone_IsValid_AndShowReadsItInOrder()
    {
        using var temp = new TempDirectory();
        var invoice = temp.File("invoice-2026-001.pdf");
        await File.WriteAllTextAsync(invoice, "%PDF-1.7 invoice INV-2026-001, 5000 EUR\n", Cancel);
        var invoiceHash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(invoice, Cancel)));
        var bundle = temp.File("bundle.json");
        var keys = temp.File("keys.json");

        var created = await Run("create", "--label", "Invoice processing, Q1 2026", "--agent", "agent-001", "--tag", "invoices", "--metadata", "{\"customer\":\"acme\"}", "--json");
        var traceId = created.Json().GetProperty("trace_id").GetString()!;
        var step = await Run("step", traceId, "--type", "thought", "--content", "Read the invoice and check the amount.", "--json");
        var anchored = await Run("document", invoice, "--trace", traceId, "--json");
        var recorded = await Run("event", "--type", "invoice.received", "--payload", "{\"invoice\":\"INV-2026-001\",\"amount\":5000}", "--trace", traceId, "--json");
        var attested = await Run("attest", "--type", "output", "--input", "Summarize INV-2026-001", "--output", "Invoice INV-2026-001: 5000 EUR, due in 30 days.",
            "--model-provider", "openai", "--model-name", "gpt-4.1", "--trace", traceId, "--json");
        var seal = await Run("seal", traceId, "--wait");
        var proof = await Run("proof", traceId, "--out", bundle);
        var publicKey = await Run("public-key", "--out", keys);
        var verify = await Run("verify", bundle, "--trust", keys, "--json");
        var showFile = await Run("show", bundle, "--json");
        var showId = await Run("show", traceId);

        var all = new[] { created, step, anchored, recorded, attested, seal, proof, publicKey, verify, showFile, showId };
        Assert.All(all, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.All(all, r => Assert.DoesNotContain(fixture.Server.ApiKey, r.Out + r.Error, StringComparison.Ordinal));
        Assert.Equal("open", created.Json().GetProperty("status").GetString());
        Assert.Equal("agent-001", created.Json().GetProperty("agent_id").GetString());

        Assert.Equal([0L, 1L, 2L, 3L], new[] { step, anchored, recorded, attested }.Select(r => r.Json().GetProperty("index").GetInt64()));
        Assert.All(new[] { step, anchored, recorded, attested }, r => Assert.Equal(traceId, r.Json().GetProperty("trace_id").GetString()));
        Assert.Equal(["agent.step", "document.anchored", "invoice.received", "ai.attestation"],
            new[] { step, anchored, recorded, attested }.Select(r => r.Json().GetProperty("event_type").GetString()));
        Assert.Equal(invoiceHash, anchored.Json().GetProperty("document_hash").GetString());
        Assert.Equal("invoice-2026-001.pdf", anchored.Json().GetProperty("document_ref").GetString());
        Assert.Equal(new FileInfo(invoice).Length, anchored.Json().GetProperty("document_bytes").GetInt64());

        var report = verify.Json();
        Assert.Equal("Valid", report.GetProperty("verdict").GetString());
        Assert.Equal(4, report.GetProperty("entry_count").GetInt64());
        Assert.All(report.GetProperty("checks").EnumerateArray(), c => Assert.Equal("passed", c.GetProperty("state").GetString()));

        var shown = showFile.Json();
        Assert.Equal("file", shown.GetProperty("source").GetString());
        Assert.Equal(traceId, shown.GetProperty("trace_id").GetString());
        var entries = shown.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal([0L, 1L, 2L, 3L], entries.Select(e => e.GetProperty("index").GetInt64()));
        Assert.Equal(new[] { step, anchored, recorded, attested }.Select(r => r.Json().GetProperty("event_id").GetString()),
            entries.Select(e => e.GetProperty("event_id").GetString()));
        Assert.Equal("THOUGHT", entries[0].GetProperty("step_type").GetString());
        Assert.Equal("Read the invoice and check the amount.", entries[0].GetProperty("text").GetString());
        Assert.Equal("invoice-2026-001.pdf", entries[1].GetProperty("document_ref").GetString());
        Assert.Equal(invoiceHash, entries[1].GetProperty("document_hash").GetString());
        Assert.Equal("{\"amount\":5000,\"invoice\":\"INV-2026-001\"}", entries[2].GetProperty("summary").GetString());
        Assert.Equal("openai", entries[3].GetProperty("model_provider").GetString());
        Assert.Equal("gpt-4.1", entries[3].GetProperty("model_name").GetString());
        Assert.Equal("trace.sealed", shown.GetProperty("seal_event").GetProperty("event_type").GetString());

        // The sealed trace read from the endpoint: its proof carries the payloads.
        var lines = showId.Out.Split('\n');
        Assert.Equal($"Trace    {traceId}", lines[0]);
        Assert.Equal("Label    Invoice processing, Q1 2026", lines[1]);
        Assert.StartsWith("Status   sealed, 4 entries, sealed 20", lines[2], StringComparison.Ordinal);
        Assert.Equal($"From     {fixture.Server.BaseAddress}", lines[3]);
        Assert.Matches(@"^0     \S+Z  agent\.step         THOUGHT: Read the invoice and check the amount\.$", lines[6]);
        Assert.Matches($@"^1     \S+Z  document\.anchored  invoice-2026-001\.pdf  {invoiceHash}$", lines[7]);
        Assert.Matches(@"^2     \S+Z  invoice\.received   \{""amount"":5000,""invoice"":""INV-2026-001""\}$", lines[8]);
        Assert.Matches(@"^3     \S+Z  ai\.attestation     output by openai/gpt-4\.1: Invoice INV-2026-001: 5000 EUR, due in 30 days\.$", lines[9]);
        Assert.Matches(@"^seal  \S+Z  trace\.sealed       sealed: 4 entries, composite sha256:[0-9a-f]{64}$", lines[10]);
        Assert.Contains("Not verified: this is what the trace says. Check it with 'traces verify <bundle.json> --trust <keys>'.", lines);
    }

    [Fact]
    public async Task HumanOutput_NamesTheEntryAndWhereItWent()
    {
        var created = await Run("create", "--label", "Human output");
        var traceId = created.Out.Split(' ')[1];
        var step = await Run("step", traceId, "--type", "ACTION", "--content", "Called the payments API.");
        var standalone = await Run("event", "--type", "audit.note", "--payload", "\"kept for the record\"");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.StartsWith($"Created {traceId} (open)\n  Label          Human output\n  Created        20", created.Out, StringComparison.Ordinal);
        Assert.Contains($"Add entries with 'traces step {traceId} …', 'traces event|document|attest … --trace {traceId}'; then 'traces seal {traceId} --wait'.",
            created.Out, StringComparison.Ordinal);
        Assert.StartsWith($"Added entry 0 to {traceId}: agent.step (ACTION)\n  Event id       evt_", step.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n  Chain hash     sha256:[0-9a-f]{64}\n$", step.Out);
        Assert.True(standalone.ExitCode == 0, standalone.ToString());
        Assert.StartsWith("Recorded a standalone entry (no trace): audit.note\n  Event id       evt_", standalone.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Chain hash", standalone.Out, StringComparison.Ordinal);
        var json = (await Run("event", "--type", "audit.note", "--payload", "1", "--json")).Json();
        Assert.Equal(JsonValueKind.Null, json.GetProperty("trace_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("index").ValueKind);
    }

    [Fact]
    public async Task Event_PayloadFromAFile_IsRecordedAsGiven()
    {
        using var temp = new TempDirectory();
        var payload = temp.File("payload.json");
        await File.WriteAllTextAsync(payload, "{\"b\": [1, 2.5, \"é\"], \"a\": null}\n", Cancel);
        var traceId = await fixture.CreateTraceAsync("Payload file", 0, Cancel);

        var recorded = await Run("event", "--type", "data.loaded", "--payload-file", payload, "--trace", traceId, "--json");
        var shown = await Run("show", traceId, "--json");

        Assert.True(recorded.ExitCode == 0, recorded.ToString());
        Assert.Equal(0, recorded.Json().GetProperty("index").GetInt64());
        var entry = shown.Json().GetProperty("entries")[0];
        Assert.Equal("data.loaded", entry.GetProperty("event_type").GetString());
        // An open trace: the API lists the entry without its payload, and show says so rather than guessing.
        Assert.False(entry.GetProperty("payload_available").GetBoolean());
        Assert.Equal("(payload not returned)", entry.GetProperty("summary").GetString());
        Assert.Equal("The API returns entry payloads only in the proof of a sealed trace; seal it and show it again to read them.",
            shown.Json().GetProperty("note").GetString());
    }

    [Fact]
    public async Task Show_ControlCharactersInAPayload_AreNotPassedToTheTerminal()
    {
        using var temp = new TempDirectory();
        var traceId = await fixture.CreateTraceAsync("Hostile text", 0, Cancel);
        await Run("step", traceId, "--type", "OUTPUT", "--content", "ok\u001b[2J\u001b]0;owned\u0007 \u202Etxt.exe\nline two");
        await Run("seal", traceId, "--wait");

        var shown = await Run("show", traceId);

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.DoesNotContain('\u001b', shown.Out);
        Assert.DoesNotContain('\u0007', shown.Out);
        Assert.DoesNotContain('\u202E', shown.Out);
        Assert.Contains("OUTPUT: ok\uFFFD[2J\uFFFD]0;owned\uFFFD \uFFFDtxt.exe line two", shown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_LongText_IsShortenedWithAnEllipsis()
    {
        var traceId = await fixture.CreateTraceAsync("Long text", 0, Cancel);
        await Run("step", traceId, "--type", "THOUGHT", "--content", new string('x', 500));
        await Run("seal", traceId, "--wait");

        var shown = await Run("show", traceId);
        var json = await Run("show", traceId, "--json");

        Assert.Contains($"THOUGHT: {new string('x', 111)}…\n", shown.Out, StringComparison.Ordinal);
        Assert.Equal(new string('x', 500), json.Json().GetProperty("entries")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData(new[] { "show", "missing-bundle.json" }, "error: 'missing-bundle.json': no such file, and not a trace id (tr_…).\n")]
    [InlineData(new[] { "show", "dir/bundle" }, "error: 'dir/bundle': no such file, and not a trace id (tr_…).\n")]
    [InlineData(new[] { "event", "--type", "x", "--payload", "{bad" }, "error: --payload is not JSON: ")]
    [InlineData(new[] { "event", "--type", "x" }, "error: Give the payload with --payload '<json>' or --payload-file <file>.\n")]
    [InlineData(new[] { "event", "--type", "x", "--payload", "1", "--payload-file", "p.json" }, "error: Give --payload or --payload-file, not both.\n")]
    [InlineData(new[] { "create", "--label", "x", "--metadata", "[1]" }, "error: --metadata must be a JSON object ({…}).\n")]
    [InlineData(new[] { "document", "no-such-file.pdf" }, "error: The document 'no-such-file.pdf' does not exist.\n")]
    public async Task Misuse_ExitsThree_AndSaysWhatToDo(string[] args, string error)
    {
        var result = await Run(args);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Show_ADirectory_SaysItIsADirectory()
    {
        using var temp = new TempDirectory();

        var result = await Run("show", temp.Path);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal($"error: '{temp.Path}' is a directory: give a proof bundle file or a trace id.\n", result.Error);
    }

    [Theory]
    [InlineData("create", "--label", "x")]
    [InlineData("step", "tr_0000000000000000000000000a", "--type", "THOUGHT", "--content", "c")]
    [InlineData("list")]
    public async Task WithoutAnApiKey_NamesTheOptionAndTheVariable(params string[] args)
    {
        var result = await Tool.RunAsync([.. args, "--endpoint", fixture.Server.BaseAddress.ToString()]);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal("error: No API key: pass --api-key <key> or set TRACES_API_KEY (for a local server started with 'traces serve', " +
            "the key is in <data directory>/api-key).\n", result.Error);
    }

    [Fact]
    public async Task PublicKey_NeedsNoApiKey()
    {
        var result = await Tool.RunAsync("public-key", "--endpoint", fixture.Server.BaseAddress.ToString());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"keys\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_OnASealedTrace_PrintsTheServiceCodeAndExitsFour()
    {
        var traceId = await fixture.CreateTraceAsync("Sealed already", 1, Cancel);
        await Run("seal", traceId, "--wait");

        var result = await Run("step", traceId, "--type", "THOUGHT", "--content", "too late");

        Assert.Equal(ExitCodes.ServiceError, result.ExitCode);
        Assert.StartsWith("error: trace_sealed: ", result.Error, StringComparison.Ordinal);
    }
}
