using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;
using Traces.TestSupport;

namespace Traces.Cli.Tests.Verification;

/// <summary>
/// Every check is shown as passed (✓), failed (✗) or not run, in both outputs, exactly as the verifier recorded it
/// (issue 8 §5): nothing is marked passed that did not run, or that failed beyond the listed findings.
/// </summary>
public class CheckStateOutputTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Verify_NotJson_PrintsNoTick_AndExitsOne()
    {
        using var temp = new TempDirectory();
        var notes = temp.File("notes.txt");
        await File.WriteAllTextAsync(notes, "Meeting notes, not a bundle.\n", Cancel);

        var human = await Tool.RunAsync("verify", notes, "--trust", Tool.PublicKeys);
        var json = await Tool.RunAsync("verify", notes, "--trust", Tool.PublicKeys, "--json");

        Assert.Equal(ExitCodes.Invalid, human.ExitCode);
        Assert.DoesNotContain("✓", human.Out, StringComparison.Ordinal);
        var lines = human.Out.Split('\n');
        Assert.Contains("  ✗ form         well-formed traces/v1 document, within limits  [malformed]", lines);
        Assert.Contains("  - chain        payload hashes, content hashes, indices, chain links, integrity root  (not run)", lines);
        Assert.Contains("  - signatures   Ed25519 entry signatures and key ids  (not run)", lines);
        Assert.Contains("  - composite    Merkle composite hash and event count  (not run)", lines);
        Assert.Contains("  - seal         seal event commits to this trace  (not run)", lines);
        Assert.Contains("  - certificate  RSA-PSS certificate: algorithm, key strength, signature, statement  (not run)", lines);
        Assert.Contains("  - trust        every signer pinned by --trust  (not run)", lines);
        Assert.Contains("Verdict: Invalid — see the findings above.", lines);

        Assert.Equal(ExitCodes.Invalid, json.ExitCode);
        Assert.Equal([("form", "failed"), ("chain", "not_run"), ("signatures", "not_run"), ("composite", "not_run"), ("seal", "not_run"),
            ("certificate", "not_run"), ("trust", "not_run")], States(json));
        Assert.DoesNotContain("\"passed\"", json.Out, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.Json().GetProperty("hint").ValueKind);
    }

    [Fact]
    public async Task Verify_EveryState_InOneReport_HumanAndJson()
    {
        // Entry 1's payload_hash is unreadable: the form fails; the chain, composite, seal and certificate cannot be
        // recomputed (not run); every signature and signer could still be checked (passed).
        using var temp = new TempDirectory();
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(Tool.Vector("bundle-small.json"), Cancel))!;
        bundle["events"]![1]!["payload_hash"] = "sha256:not-a-digest";
        var path = temp.File("bundle.json");
        await File.WriteAllTextAsync(path, bundle.ToJsonString(), Cancel);

        var human = await Tool.RunAsync("verify", path, "--trust", Tool.PublicKeys);
        var json = await Tool.RunAsync("verify", path, "--trust", Tool.PublicKeys, "--json");

        Assert.Equal(ExitCodes.Invalid, human.ExitCode);
        var lines = human.Out.Split('\n');
        Assert.Contains("  ✗ form         well-formed traces/v1 document, within limits  [malformed]", lines);
        Assert.Contains("  - chain        payload hashes, content hashes, indices, chain links, integrity root  (not run)", lines);
        Assert.Contains("  ✓ signatures   Ed25519 entry signatures and key ids", lines);
        Assert.Contains("  - composite    Merkle composite hash and event count  (not run)", lines);
        Assert.Contains("  - seal         seal event commits to this trace  (not run)", lines);
        Assert.Contains("  - certificate  RSA-PSS certificate: algorithm, key strength, signature, statement  (not run)", lines);
        Assert.Contains("  ✓ trust        every signer pinned by --trust", lines);
        Assert.Contains("Verdict: Invalid — first invalid entry: 1 (evt_000001).", lines);

        Assert.Equal(ExitCodes.Invalid, json.ExitCode);
        Assert.Equal([("form", "failed"), ("chain", "not_run"), ("signatures", "passed"), ("composite", "not_run"), ("seal", "not_run"),
            ("certificate", "not_run"), ("trust", "passed")], States(json));
        var form = json.Json().GetProperty("checks")[0];
        Assert.Equal(["malformed"], form.GetProperty("failed_codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, form.GetProperty("finding_counts").GetProperty("malformed").GetInt64());
        Assert.Empty(json.Json().GetProperty("checks")[2].GetProperty("finding_counts").EnumerateObject());
    }

    [Fact]
    public async Task Verify_FailuresBeyondTheListedThousand_StillFailTheirCheck()
    {
        // 1,010 entries with an unknown member each (1,010 malformed findings, listed first) and entry 1,005 carrying
        // entry 1,004's signature: that failure is the 1,011th finding, counted but not listed.
        using var temp = new TempDirectory();
        var bundle = BundleJson.ToNode(TestTraceSigner.Default.CreateBundle("tr_overcap0001", TestTraceSigner.SampleEntries(1010)));
        var events = bundle["events"]!.AsArray();
        foreach (var entry in events)
        {
            entry!["x_note"] = "unknown";
        }

        events[1005]!["signature"] = events[1004]!["signature"]!.GetValue<string>();
        var path = temp.File("overcap.json");
        await File.WriteAllBytesAsync(path, BundleJson.Write(bundle), Cancel);
        var trust = temp.File("keys.json");
        await File.WriteAllBytesAsync(trust, BundleJson.Write(BundleJson.ToNode(VectorSet.PublicKeys(), Traces.Verification.Bundles.TracesJsonContext.Default.PublishedKeySet)), Cancel);

        var json = await Tool.RunAsync("verify", path, "--trust", trust, "--json");
        var human = await Tool.RunAsync("verify", path, "--trust", trust);

        Assert.Equal(ExitCodes.Invalid, json.ExitCode);
        var document = json.Json();
        Assert.Equal(1011, document.GetProperty("finding_count").GetInt64());
        var listed = document.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).ToList();
        Assert.Equal(1001, listed.Count);
        Assert.DoesNotContain("signature_invalid", listed);
        Assert.Equal("findings_truncated", listed[^1]);
        var signatures = document.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "signatures");
        Assert.Equal("failed", signatures.GetProperty("state").GetString());
        Assert.Equal(1, signatures.GetProperty("finding_counts").GetProperty("signature_invalid").GetInt64());
        Assert.Equal(["signature_invalid"], signatures.GetProperty("failed_codes").EnumerateArray().Select(c => c.GetString()));

        Assert.Equal(ExitCodes.Invalid, human.ExitCode);
        var lines = human.Out.Split('\n');
        Assert.Contains("  ✗ form         well-formed traces/v1 document, within limits  [malformed ×1010]", lines);
        Assert.Contains("  ✗ signatures   Ed25519 entry signatures and key ids  [signature_invalid]", lines);
        Assert.Contains("  ✓ chain        payload hashes, content hashes, indices, chain links, integrity root", lines);
    }

    [Fact]
    public async Task Verify_CertificateGivenAsBundle_HintsAtVerifyCertificate()
    {
        var certificate = Tool.Vector("certificate.json");

        var human = await Tool.RunAsync("verify", certificate, "--trust", Tool.PublicKeys);
        var json = await Tool.RunAsync("verify", certificate, "--trust", Tool.PublicKeys, "--json");

        var hint = $"'{certificate}' looks like a trace certificate, not a proof bundle: check it with 'traces verify-certificate {certificate} --trust …' " +
            "(add '--entries <entries.json|bundle.json>' to check the entries it certifies).";
        Assert.Equal(ExitCodes.Invalid, human.ExitCode);
        Assert.EndsWith($"Verdict: Invalid — see the findings above.\nHint: {hint}\n", human.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("✓", human.Out, StringComparison.Ordinal);
        Assert.Equal(hint, json.Json().GetProperty("hint").GetString());
    }

    [Theory]
    [InlineData("entry-2.json", "looks like one entry, not a proof bundle: check it with 'traces verify-inclusion")]
    [InlineData("entries.json", "looks like a list of entries, not a proof bundle: check them against their certificate with 'traces verify-certificate <certificate.json> --entries")]
    [InlineData("inclusion-proof-2.json", "looks like an inclusion proof: check it with 'traces verify-inclusion <entry.json> --proof")]
    [InlineData("public-keys.json", "looks like a published key set: pass it with '--trust")]
    public async Task Verify_OtherDocumentGivenAsBundle_NamesTheCommandForIt(string file, string hint)
    {
        var result = await Tool.RunAsync("verify", Tool.Vector(file), "--trust", Tool.PublicKeys, "--json");

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Contains(hint, result.Json().GetProperty("hint").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyCertificate_Alone_UnpinnedWithoutCarriedKey_CertificateNotRun()
    {
        using var temp = new TempDirectory();
        var certificate = JsonNode.Parse(await File.ReadAllTextAsync(Tool.Vector("certificate.json"), Cancel))!.AsObject();
        certificate.Remove("public_key");
        var path = temp.File("certificate.json");
        await File.WriteAllTextAsync(path, certificate.ToJsonString(), Cancel);
        const string ed25519Only = "sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";

        var human = await Tool.RunAsync("verify-certificate", path, "--trust", ed25519Only);
        var json = await Tool.RunAsync("verify-certificate", path, "--trust", ed25519Only, "--json");

        Assert.Equal(ExitCodes.Untrusted, human.ExitCode);
        var lines = human.Out.Split('\n');
        Assert.Contains("  ✓ form         well-formed traces/v1 document, within limits", lines);
        Assert.Contains("  - certificate  RSA-PSS certificate: algorithm, key strength, signature, statement  (not run)", lines);
        Assert.Contains("  ✗ trust        every signer pinned by --trust  [untrusted_key]", lines);
        Assert.Equal([("form", "passed"), ("certificate", "not_run"), ("trust", "failed")], States(json));
    }

    [Fact]
    public async Task VerifyInclusion_Valid_DescribesTheDetachedEntryChecks()
    {
        var result = await Tool.RunAsync("verify-inclusion", Tool.Vector("entry-2.json"), "--proof", Tool.Vector("inclusion-proof-2.json"),
            "--certificate", Tool.Vector("certificate.json"), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Contains("  ✓ chain        the entry's payload hash and content hash", lines);
        Assert.Contains("  ✓ signatures   the entry's Ed25519 signature and key id", lines);
        Assert.Contains("  ✓ inclusion    inclusion proof leads from the entry to the composite hash", lines);
    }

    [Fact]
    public async Task Verify_EscapeSequencesInTheDocument_AreNotPassedToTheTerminal()
    {
        // A member name and an event id carrying a terminal escape (clear screen, set title) and a bidirectional override.
        using var temp = new TempDirectory();
        var bundle = JsonNode.Parse(await File.ReadAllTextAsync(Tool.Vector("bundle-small.json"), Cancel))!;
        bundle["events"]![1]!["x\u001b[2J\u001b]0;owned\u0007"] = 1;
        bundle["events"]![3]!["event_id"] = "evt_\u202Eexe.txt";
        var path = temp.File("hostile.json");
        await File.WriteAllTextAsync(path, bundle.ToJsonString(), Cancel);

        var human = await Tool.RunAsync("verify", path, "--trust", Tool.PublicKeys);
        var json = await Tool.RunAsync("verify", path, "--trust", Tool.PublicKeys, "--json");

        Assert.Equal(ExitCodes.Invalid, human.ExitCode);
        Assert.DoesNotContain('\u001b', human.Out);
        Assert.DoesNotContain('\u0007', human.Out);
        Assert.DoesNotContain('\u202E', human.Out);
        Assert.Contains("      'x\uFFFD[2J\uFFFD]0;owned\uFFFD' is not a member of this object in traces/v1.\n", human.Out, StringComparison.Ordinal);
        Assert.Contains("entry 3 (evt_\uFFFDexe.txt)", human.Out, StringComparison.Ordinal);
        // JSON keeps the values exactly, escaped as JSON requires.
        Assert.Contains(json.Json().GetProperty("findings").EnumerateArray(), f => f.GetProperty("message").GetString()!.Contains("\u001b[2J", StringComparison.Ordinal));
    }

    private static List<(string, string)> States(CliResult result) =>
        [.. result.Json().GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("state").GetString()!))];
}
