using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;
using Traces.TestSupport;
using Traces.Verification.Vendors.Invoance;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Cli.Tests.Verification;

/// <summary><c>traces verify</c> on SidClaw, Invoance and Novyx documents (docs/vendor-formats.md).</summary>
public class VendorVerifyTests
{
    private const string Detail = "03-trace-detail-allow_success.body.json";
    private const string TraceId = "7443a892-1996-43a8-873e-5582def2840b";
    private const string Head = "9e5219a097b907215c7d1260e396f44ac6f299a69c6390cd6f2552dfc0e468d2";

    private static string SidClaw(string file) => TestVectors.PathOf("sidclaw", "responses", file);

    private static string[] Names(JsonElement array, string member) => [.. array.EnumerateArray().Select(e => e.GetProperty(member).GetString()!)];

    [Fact]
    public async Task SidClawTraceDocument_Unpinned_IsUntrusted_Exit2_InTheCommonShape()
    {
        var result = await Tool.RunAsync("verify", SidClaw(Detail), "--json");

        Assert.Equal(ExitCodes.Untrusted, result.ExitCode);
        var json = result.Json();
        Assert.Equal("sidclaw", json.GetProperty("format").GetString());
        Assert.Equal("Untrusted", json.GetProperty("verdict").GetString());
        Assert.Equal(2, json.GetProperty("exit_code").GetInt32());
        Assert.Equal(TraceId, json.GetProperty("trace_id").GetString());
        Assert.Equal(7, json.GetProperty("entry_count").GetInt64());
        Assert.Equal(["form", "hashes", "chain", "coverage", "trust"], Names(json.GetProperty("checks"), "name"));
        Assert.Equal(["passed", "passed", "passed", "passed", "failed"], Names(json.GetProperty("checks"), "state"));
        var item = Assert.Single(json.GetProperty("items").EnumerateArray());
        Assert.Equal(("trace", TraceId, 7, 7, Head, false),
            (item.GetProperty("kind").GetString(), item.GetProperty("id").GetString(), item.GetProperty("events").GetInt64(),
             item.GetProperty("hashed_events").GetInt64(), item.GetProperty("head").GetString(), item.GetProperty("head_pinned").GetBoolean()));
        var finding = Assert.Single(json.GetProperty("findings").EnumerateArray());
        Assert.Equal("head_not_pinned", finding.GetProperty("code").GetString());
        Assert.Equal("trust", finding.GetProperty("severity").GetString());
        Assert.Equal(TraceId, finding.GetProperty("item").GetString());
        Assert.Equal(Head, finding.GetProperty("actual").GetString());
    }

    [Fact]
    public async Task SidClawTraceDocument_HeadPinned_IsValid_Exit0()
    {
        var result = await Tool.RunAsync("verify", SidClaw(Detail), "--trust", $"sidclaw:{TraceId}={Head}");

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.Contains("Verdict: Valid — every hash recomputed, every chain intact and ending at its pinned head.", result.Out.Split('\n'));
        Assert.Contains($"  ✓ {TraceId}  Valid  7 events, 7 hashed, head {Head} (pinned)", result.Out.Split('\n'));
    }

    [Fact]
    public async Task SidClawPinFile_PinsEveryTraceOfAnExport()
    {
        using var temp = new TempDirectory();
        var heads = JsonNode.Parse(File.ReadAllBytes(SidClaw("45-audit-export-json.body.json")))!.AsArray()
            .GroupBy(e => e!["trace_id"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => (JsonNode?)g.Last()!["integrity_hash"]!.GetValue<string>());
        var pins = temp.File("heads.json");
        File.WriteAllText(pins, new JsonObject { ["sidclaw_heads"] = new JsonObject(heads) }.ToJsonString());

        foreach (var export in new[] { "45-audit-export-json.body.json", "46-audit-export-csv.body.csv" })
        {
            var result = await Tool.RunAsync("verify", SidClaw(export), "--trust", pins, "--json");

            Assert.Equal(ExitCodes.Valid, result.ExitCode);
            Assert.Equal(9, result.Json().GetProperty("items").GetArrayLength());
        }
    }

    [Fact]
    public async Task SidClawExports_JsonAndCsv_GiveTheSameItems_Exit2()
    {
        var json = await Tool.RunAsync("verify", SidClaw("45-audit-export-json.body.json"), "--json");
        var csv = await Tool.RunAsync("verify", SidClaw("46-audit-export-csv.body.csv"), "--json");

        Assert.Equal(ExitCodes.Untrusted, json.ExitCode);
        Assert.Equal(ExitCodes.Untrusted, csv.ExitCode);
        Assert.Equal(json.Json().GetProperty("items").GetRawText(), csv.Json().GetProperty("items").GetRawText());
        Assert.Equal("SidClaw audit export (CSV), 61 events in 9 traces", csv.Json().GetProperty("subject").GetString());
    }

    [Fact]
    public async Task SidClawWrongPin_IsInvalid_Exit1()
    {
        var result = await Tool.RunAsync("verify", SidClaw(Detail), "--trust", $"sidclaw:{TraceId}={new string('0', 64)}");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains("  ✗ head_mismatch  trace 7443a892-1996-43a8-873e-5582def2840b", result.Out.Split('\n'));
    }

    [Fact]
    public async Task SidClawTamperedTrace_NamesTheFirstBrokenEvent_Exit1()
    {
        var result = await Tool.RunAsync("verify", SidClaw("65-tamper-1-description-detail.body.json"));

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Contains("  ✗ integrity_hash_mismatch  trace a955789e-e165-40df-b955-13099d87344e, entry 2 (108057fe-61d1-4158-a856-7727efadca4a)  at /events/2/integrity_hash", lines);
        Assert.Contains("      expected: ecf0f3e40eac4f30442c91085632d870bd21ec1a8404e95a3684cb2ceabf7cdb", lines);
        Assert.Contains("      actual:   935129a3af9a6fac5fbf16e95ebf7da3e34cf2952e531c1340f5e8864ee739ab", lines);
        Assert.Contains("Verdict: Invalid — first broken event of trace a955789e-e165-40df-b955-13099d87344e: 108057fe-61d1-4158-a856-7727efadca4a (entry 2).", lines);
    }

    [Fact]
    public async Task SidClawQuirkTrace_NamesTheVendorDefect_Exit1()
    {
        var result = await Tool.RunAsync("verify", SidClaw("61-quirk-emoji-at-80-detail.body.json"), "--json");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Equal(["vendor_encoding_defect"], result.Codes());
    }

    [Fact]
    public async Task SidClawTraceWithoutHashes_IsUntrusted_AndSaysWhy()
    {
        var result = await Tool.RunAsync("verify", SidClaw("11-trace-detail-seeded-no-hashes.body.json"));

        Assert.Equal(ExitCodes.Untrusted, result.ExitCode);
        Assert.Contains("Verdict: Untrusted — some events carry no hash: nothing protects them. Not valid.", result.Out.Split('\n'));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("sidclaw")]
    public async Task SidClawSingleTraceExport_IsExit3_PointingToTheDocumentsWithHashes(string format)
    {
        var result = await Tool.RunAsync("verify", SidClaw("38-trace-export-approved.body.json"), "--format", format);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal($"error: {SidClawVerifier.TraceExportExplanation}\n", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task SidClawDocument_WithAKeyPinned_IsAMistake_Exit3()
    {
        var result = await Tool.RunAsync("verify", SidClaw(Detail), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith($"error: A SidClaw chain has no key, so --trust '{Tool.PublicKeys}' pins nothing for it", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SidClawExport_OnATerminal_StillEndsWithTheReport()
    {
        var console = new TestConsole(isOutputTerminal: true);
        var result = await Tool.RunAsync(console, new CliSettings { ProgressThresholdBytes = 0 }, "verify", SidClaw("46-audit-export-csv.body.csv"));

        Assert.Equal(ExitCodes.Untrusted, result.ExitCode);
        Assert.Contains("SidClaw audit export (CSV), 61 events in 9 traces", result.Out);
        Assert.Contains("Verdict: Untrusted", result.Out);
    }

    [Fact]
    public async Task FormatOverride_ReadsTheFileAsThatFormat()
    {
        var result = await Tool.RunAsync("verify", SidClaw("46-audit-export-csv.body.csv"), "--format", "invoance-audit", "--json");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Equal("invoance-audit", result.Json().GetProperty("format").GetString());
        Assert.Equal(["malformed"], result.Codes());
    }

    [Fact]
    public async Task TracesV1Bundle_ReportsItsFormat_AndNoItems()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", Tool.PublicKeys, "--json");

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.Equal("traces-v1", result.Json().GetProperty("format").GetString());
        Assert.Equal(0, result.Json().GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task InvoanceAuditVectors_UnderThePinnedTestKey_AreValid_WithoutIt_Untrusted()
    {
        using var temp = new TempDirectory();
        var vectors = JsonNode.Parse(File.ReadAllBytes(TestVectors.PathOf("invoance", "audit-1-vectors.json")))!;
        var events = new JsonArray([.. vectors["vectors"]!.AsArray().Select(v =>
        {
            var e = v!["event"]!.DeepClone().AsObject();
            e["payload_hash"] = v["payload_hash_sha256"]!.DeepClone();
            e["signature"] = v["signature_ed25519"]!.DeepClone();
            e["signing_public_key"] = v["public_key"]!.DeepClone();
            return (JsonNode)e;
        })]);
        var path = temp.File("events.json");
        File.WriteAllText(path, events.ToJsonString());
        var key = "ed25519_pk:" + vectors["test_public_key"]!.GetValue<string>();

        var pinned = await Tool.RunAsync("verify", path, "--trust", key, "--json");
        var unpinned = await Tool.RunAsync("verify", path, "--json");

        Assert.Equal(ExitCodes.Valid, pinned.ExitCode);
        Assert.Equal("invoance-audit", pinned.Json().GetProperty("format").GetString());
        Assert.Equal(15, pinned.Json().GetProperty("items").GetArrayLength());
        Assert.Equal(ExitCodes.Untrusted, unpinned.ExitCode);
        Assert.Equal(["untrusted_key"], unpinned.Codes());

        events[4]!["action"] = "user.deleted";
        File.WriteAllText(path, events.ToJsonString());
        var tampered = await Tool.RunAsync("verify", path, "--trust", key, "--json");
        Assert.Equal(ExitCodes.Invalid, tampered.ExitCode);
        Assert.Equal(["payload_hash_mismatch", "signature_invalid"], tampered.Codes());
    }

    [Fact]
    public async Task InvoanceAttestation_MadeWithTheTestKey_VerifiesUnderIt()
    {
        using var temp = new TempDirectory();
        var signed = Encoding.UTF8.GetBytes("{\"attestation_id\":\"att_1\",\"attestation_hash\":\"" + new string('a', 64) + "\"}");
        var receipt = new JsonObject
        {
            ["attestation_id"] = "att_1",
            ["attestation_hash"] = new string('a', 64),
            ["signed_payload"] = Convert.ToHexStringLower(signed),
            ["signature"] = Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(TestKeys.Ed25519, signed)),
            ["public_key"] = Convert.ToHexStringLower(TestKeys.Ed25519PublicRaw),
            ["signature_alg"] = "ed25519",
        };
        var path = temp.File("attestation.json");
        File.WriteAllText(path, receipt.ToJsonString());
        var key = "ed25519_pk:" + Convert.ToHexStringLower(TestKeys.Ed25519PublicRaw);

        var result = await Tool.RunAsync("verify", path, "--trust", key, "--json");
        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.Equal("invoance-attestation", result.Json().GetProperty("format").GetString());
        var hashes = result.Json().GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "hashes");
        Assert.Equal("not_run", hashes.GetProperty("state").GetString());

        receipt["attestation_hash"] = new string('b', 64);
        File.WriteAllText(path, receipt.ToJsonString());
        var edited = await Tool.RunAsync("verify", path, "--trust", key, "--json");
        Assert.Equal(ExitCodes.Invalid, edited.ExitCode);
        Assert.Equal(["signed_field_mismatch"], edited.Codes());
    }

    [Fact]
    public async Task InvoanceTraceProof_IsExit3_SayingWhatIsUnpublished()
    {
        using var temp = new TempDirectory();
        var path = temp.File("proof.json");
        File.WriteAllText(path, "{\"version\":\"1.0\",\"trace_id\":\"trc_1\",\"composite_hash\":\"" + new string('a', 64) + "\",\"events\":[],"
            + "\"verification\":{\"composite_hash_valid\":true,\"all_signatures_valid\":true}}");

        var result = await Tool.RunAsync("verify", path, "--trust", "ed25519_pk:" + Convert.ToHexStringLower(TestKeys.Ed25519PublicRaw));

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal($"error: {InvoanceTraceProof.Explanation}\n", result.Error);
    }

    [Fact]
    public async Task NovyxCheckpoints_TheFolderAndOneFile_AreValidUnderThePublishedKeyFile()
    {
        var key = TestVectors.PathOf("novyx-anchors", "sentinel_public.pem");
        var folder = await Tool.RunAsync("verify", TestVectors.PathOf("novyx-anchors", "checkpoints"), "--trust", key, "--json");
        var one = await Tool.RunAsync("verify", TestVectors.PathOf("novyx-anchors", "checkpoints", "000042.json"), "--trust", key);

        Assert.Equal(ExitCodes.Valid, folder.ExitCode);
        Assert.Equal("novyx-checkpoint", folder.Json().GetProperty("format").GetString());
        Assert.Equal(42, folder.Json().GetProperty("items").GetArrayLength());
        Assert.Equal(["chain_gap"], folder.Codes());
        Assert.Equal(ExitCodes.Valid, one.ExitCode);
        Assert.Contains("Novyx checkpoints, 1 distinct of 1 documents", one.Out);
    }

    [Fact]
    public async Task NovyxCheckpoints_WithoutAKeyFile_AreExit3()
    {
        var result = await Tool.RunAsync("verify", TestVectors.PathOf("novyx-anchors", "checkpoints"));

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith("error: A Novyx checkpoint is verified under Novyx's RSA key file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NovyxCertificate_MadeWithTheTestKey_Verifies_AFlippedByteFails()
    {
        using var temp = new TempDirectory();
        const string root = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        var path = temp.File("certificate.json");
        var certificate = JsonNode.Parse(NovyxTestSigner.Certificate("trc_a1b2c3d4e5f6", root))!.AsObject();
        File.WriteAllText(path, certificate.ToJsonString());
        var key = Tool.Vector("keys/rsa-4096-test-public.pem");

        var result = await Tool.RunAsync("verify", path, "--trust", key);
        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.Contains("  - chain      Not run: integrity_root_hash cannot be recomputed from the steps; Novyx does not publish the formulas of a step's integrity_hash, chain_hash or the root.  (not run)", result.Out.Split('\n'));
        Assert.Contains("  i inferred_convention  certificate trc_a1b2c3d4e5f6  at /signature", result.Out.Split('\n'));

        var signature = Convert.FromBase64String(certificate["signature"]!.GetValue<string>());
        signature[200] ^= 0x01;
        certificate["signature"] = Convert.ToBase64String(signature);
        File.WriteAllText(path, certificate.ToJsonString());
        var flipped = await Tool.RunAsync("verify", path, "--trust", key, "--json");
        Assert.Equal(ExitCodes.Invalid, flipped.ExitCode);
        Assert.Equal(["inferred_convention", "signature_invalid"], flipped.Codes());
    }

    [Fact]
    public async Task Folder_WithAnotherFormat_IsExit3()
    {
        var result = await Tool.RunAsync("verify", TestVectors.PathOf("sidclaw", "responses"), "--format", "sidclaw");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith("error: The document '", result.Error, StringComparison.Ordinal);
        Assert.Contains("is a directory: only --format novyx-checkpoint reads a folder", result.Error);
    }

    [Fact]
    public async Task UnknownFormatName_IsAParseError_Exit3()
    {
        var result = await Tool.RunAsync("verify", SidClaw(Detail), "--format", "sidclaww");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("sidclaww", result.Error);
    }

    [Fact]
    public async Task SidClawPin_ForAKeyedFormat_IsAMistake_Exit3()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", $"sidclaw:{TraceId}={Head}");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal("error: --trust sidclaw:… pins the head of a SidClaw trace; a traces/v1 bundle is verified under keys.\n", result.Error);
    }
}
