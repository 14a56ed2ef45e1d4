using System.Text.Json;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;

namespace Traces.Cli.Tests.Verification;

public class VerifyCommandTests
{
    private const string Ed25519KeyId = "sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";
    private const string RsaKeyId = "sha256:3900090ab483553ffef834d4c42f21bb0636c0425b6f766828df758f14cbc395";
    private const string Ed25519Key = "ed25519_pk:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

    public static TheoryData<string> ValidBundles => new("bundle-minimal.json", "bundle-small.json", "bundle-withheld.json");

    public static TheoryData<string> TamperedBundles => new(Tool.Manifest.GetProperty("files").EnumerateArray()
        .Select(r => r.GetProperty("file").GetString()!)
        .Where(f => f.StartsWith("tampered/", StringComparison.Ordinal) || f.StartsWith("conformance/", StringComparison.Ordinal))
        // The listing limit has no option on the command line (the JSON report lists what the library listed).
        .Where(f => !(Tool.Record(f).TryGetProperty("options", out var o) && o.TryGetProperty("max_findings", out _))));

    [Theory]
    [MemberData(nameof(ValidBundles))]
    public async Task Verify_ValidBundle_Json_ExitsZeroWithManifestValues(string file)
    {
        var record = Tool.Record(file);

        var result = await Tool.RunAsync("verify", Tool.Vector(file), "--trust", Tool.PublicKeys, "--json");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        var json = result.Json();
        Assert.Equal("verify", json.GetProperty("command").GetString());
        Assert.Equal("Valid", json.GetProperty("verdict").GetString());
        Assert.Equal(0, json.GetProperty("exit_code").GetInt32());
        Assert.Equal(record.GetProperty("trace_id").GetString(), json.GetProperty("trace_id").GetString());
        Assert.Equal(record.GetProperty("event_count").GetInt64(), json.GetProperty("entry_count").GetInt64());
        Assert.Equal(record.GetProperty("composite_hash").GetString(), json.GetProperty("composite_hash").GetString());
        Assert.Equal(record.GetProperty("integrity_root_hash").GetString(), json.GetProperty("integrity_root_hash").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("first_invalid_entry").ValueKind);
        Assert.Equal([Ed25519KeyId, RsaKeyId], json.GetProperty("trusted_key_ids").EnumerateArray().Select(k => k.GetString()));
        Assert.All(json.GetProperty("checks").EnumerateArray(), c => Assert.Equal("passed", c.GetProperty("state").GetString()));
        Assert.Equal(["form", "chain", "signatures", "composite", "seal", "certificate", "trust"],
            json.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(ManifestCodes(record), result.Codes());
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Verify_SmallBundle_Human_ListsTheValuesAndEveryCheck()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Contains("  Trace id        tr_small0001", lines);
        Assert.Contains("  Entries         5", lines);
        Assert.Contains("  Composite hash  sha256:e541d8edc88b3a5a92ada3fba1116e24386c52b9708976b570d761ab3a63ac42 (recomputed)", lines);
        Assert.Contains("  Root hash       sha256:131dce914bbb34bac759a4ab0b8bac3bd63c7e412e5e03b8d29f99ffe75d5d03 (recomputed)", lines);
        Assert.Contains("  ✓ chain        payload hashes, content hashes, indices, chain links, integrity root", lines);
        Assert.Contains("  ✓ signatures   Ed25519 entry signatures and key ids", lines);
        Assert.Contains("  ✓ composite    Merkle composite hash and event count", lines);
        Assert.Contains("  ✓ seal         seal event commits to this trace", lines);
        Assert.Contains("  ✓ certificate  RSA-PSS certificate: algorithm, key strength, signature, statement", lines);
        Assert.Contains("Verdict: Valid — every check passed and every signer is pinned.", lines);
        Assert.DoesNotContain("Findings", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WithheldPayload_Human_SaysSoAndStaysValid()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-withheld.json"), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.Contains("  Withheld        1 payload(s), verified through payload_hash only", result.Out, StringComparison.Ordinal);
        Assert.Contains("  i payload_withheld  document\n      1 payload was withheld; those entries verified through their payload_hash.\n", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TamperedBundles))]
    public async Task Verify_TamperedBundle_Json_HasTheManifestVerdictCodesAndFirstInvalidEntry(string file)
    {
        var record = Tool.Record(file);
        // Issue 10: some conformance vectors are verified under key ids pinned without their keys.
        var trust = record.TryGetProperty("trust_key_ids", out var ids)
            ? ids.EnumerateArray().SelectMany(id => new[] { "--trust", id.GetString()! }).ToArray()
            : ["--trust", Tool.PublicKeys];
        List<string> args = ["verify", Tool.Vector(file), .. trust, "--json"];
        if (record.TryGetProperty("options", out var options))
        {
            foreach (var (name, option) in new[]
                     {
                         ("max_entries", "--max-entries"), ("max_entry_bytes", "--max-entry-bytes"), ("max_depth", "--max-depth"),
                         ("max_bundle_bytes", "--max-bundle-bytes"),
                     })
            {
                if (options.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number)
                {
                    args.AddRange([option, value.GetRawText()]);
                }
            }
        }

        var result = await Tool.RunAsync([.. args]);

        var verdict = record.GetProperty("verdict").GetString();
        var expectedExit = verdict switch { "Valid" => 0, "Invalid" => 1, "Untrusted" => 2, _ => -1 };
        Assert.True(expectedExit == result.ExitCode, result.ToString());
        var json = result.Json();
        Assert.Equal(verdict, json.GetProperty("verdict").GetString());
        Assert.Equal(ManifestCodes(record), result.Codes());
        var first = record.TryGetProperty("first_invalid_entry", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt64() : (long?)null;
        var actualFirst = json.GetProperty("first_invalid_entry");
        Assert.Equal(first, actualFirst.ValueKind == JsonValueKind.Null ? null : actualFirst.GetProperty("entry_index").GetInt64());
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Verify_TamperedContentHash_Human_NamesEntryLocationAndValues()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("tampered/entry2_content_hash.json"), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        var lines = result.Out.Split('\n');
        Assert.Contains("  ✗ chain        payload hashes, content hashes, indices, chain links, integrity root  [content_hash_mismatch, chain_broken]", lines);
        Assert.Contains("  ✗ signatures   Ed25519 entry signatures and key ids  [signature_invalid]", lines);
        Assert.Contains("  ✓ certificate  RSA-PSS certificate: algorithm, key strength, signature, statement", lines);
        Assert.Contains("  ✗ content_hash_mismatch  entry 2 (evt_000002)  at /events/2/content_hash", lines);
        Assert.Contains(lines, l => l.StartsWith("      expected: sha256:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("      actual:   sha256:", StringComparison.Ordinal));
        Assert.Contains("Verdict: Invalid — first invalid entry: 2 (evt_000002).", lines);
    }

    [Fact]
    public async Task Verify_TamperedContentHash_Json_FindingCarriesEveryMember()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("tampered/entry2_content_hash.json"), "--trust", Tool.PublicKeys, "--json");

        var finding = result.Json().GetProperty("findings").EnumerateArray().First(x => x.GetProperty("code").GetString() == "content_hash_mismatch");
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal(2, finding.GetProperty("entry_index").GetInt64());
        Assert.Equal("evt_000002", finding.GetProperty("event_id").GetString());
        Assert.Equal("/events/2/content_hash", finding.GetProperty("location").GetString());
        Assert.StartsWith("sha256:", finding.GetProperty("expected").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("sha256:", finding.GetProperty("actual").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(finding.GetProperty("expected").GetString(), finding.GetProperty("actual").GetString());
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("message").GetString()));
        Assert.Equal(new[] { "severity", "message", "entry_index", "event_id", "location", "expected", "actual", "item" }.Order(),
            finding.EnumerateObject().Select(p => p.Name).Where(n => n != "code").Order());
    }

    [Theory]
    [InlineData(RsaKeyId, Ed25519KeyId)]
    [InlineData(Ed25519Key, RsaKeyId)]
    [InlineData("keys/rsa-4096-test-public.pem", Ed25519Key)]
    [InlineData("keys/rsa-4096-test-public.pem", Ed25519KeyId)]
    public async Task Verify_WithInlineKeysKeyIdsAndPemFiles_IsValid(string first, string second)
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"),
            "--trust", Resolve(first), "--trust", Resolve(second), "--json");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal("Valid", result.Json().GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Verify_WithEd25519PemFile_IsValid()
    {
        using var temp = new TempDirectory();
        // SubjectPublicKeyInfo of the RFC 8032 TEST 1 key: the Ed25519 AlgorithmIdentifier prefix, then the 32 raw bytes.
        var spki = Convert.FromHexString("302a300506032b6570032100d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        var pem = temp.File("ed25519.pem");
        await File.WriteAllTextAsync(pem, new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", spki)) + "\n",
            TestContext.Current.CancellationToken);

        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"),
            "--trust", pem, "--trust", Tool.Vector("keys/rsa-4096-test-public.pem"));

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
    }

    [Fact]
    public async Task Verify_OnlyTheCertificateKeyPinned_IsUntrusted()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", Tool.Vector("keys/rsa-4096-test-public.pem"), "--json");

        Assert.Equal(ExitCodes.Untrusted, result.ExitCode);
        Assert.Equal("Untrusted", result.Json().GetProperty("verdict").GetString());
        Assert.Equal(["untrusted_key"], result.Codes());
    }

    [Fact]
    public async Task Verify_NoMatchingTrust_IsUntrustedInBothForms()
    {
        const string unrelated = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

        var json = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", unrelated, "--json");
        var human = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", unrelated);

        Assert.Equal(ExitCodes.Untrusted, json.ExitCode);
        Assert.Equal(["untrusted_key"], json.Codes());
        Assert.Equal(ExitCodes.Untrusted, human.ExitCode);
        Assert.Contains("  ✗ trust        every signer pinned by --trust  [untrusted_key ×3]", human.Out.Split('\n'));
        Assert.Contains("Verdict: Untrusted — consistent, but signed by a key that --trust does not pin. Not valid.", human.Out.Split('\n'));
    }

    [Fact]
    public async Task Verify_MissingBundle_ExitsThreeWithMessage()
    {
        var result = await Tool.RunAsync("verify", "no-such-bundle.json", "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal("error: The document 'no-such-bundle.json' does not exist.\n", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Verify_GarbageTrustFile_ExitsThreeWithMessage()
    {
        var garbage = Tool.Vector("tampered/garbage.json");

        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", garbage);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith($"error: --trust '{garbage}' ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    /// <summary>
    /// A weak key cannot be pinned (verification.md: a pin that could never verify anything is a configuration error):
    /// exit 3 before the bundle is read, never a verdict. Issue 10 made the page say so.
    /// </summary>
    [Fact]
    public async Task Verify_Weak1024BitRsaKeyAsTrust_ExitsThree()
    {
        using var temp = new TempDirectory();
        var pem = temp.File("weak.pem");
        await File.WriteAllTextAsync(pem, Traces.TestSupport.AttackerKeys.WeakRsa1024PublicPem, TestContext.Current.CancellationToken);

        var result = await Tool.RunAsync("verify", Tool.Vector("tampered/certificate_weak_rsa_1024.json"), "--trust", pem, "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith($"error: --trust '{pem}' holds no usable public key: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("1024", result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>--trust</c> reads a key file with the library's reader (<c>TrustPolicyBuilder.AddKeyFile</c>), so a file of
    /// several PEM public keys pins each of them, and a private key is refused, as <c>TrustPolicy.FromFile</c> does.
    /// </summary>
    [Fact]
    public async Task Verify_PemFileWithBothKeys_PinsBoth_AndIsValid()
    {
        using var temp = new TempDirectory();
        var pem = temp.File("both.pem");
        var ed25519 = System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY",
            [.. Convert.FromHexString("302a300506032b6570032100"), .. Traces.TestSupport.TestKeys.Ed25519PublicRaw]);
        await File.WriteAllTextAsync(pem, ed25519 + "\n" + Traces.TestSupport.TestKeys.RsaPublicPem + "\n", TestContext.Current.CancellationToken);

        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", pem, "--json");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal("Valid", JsonDocument.Parse(result.Out).RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Verify_PrivateKeyFileAsTrust_ExitsThree_NamingTheBlock()
    {
        var pem = Traces.TestSupport.TestVectors.OwnVector("keys", "rsa-4096-test-private.pem");

        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", pem);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal($"error: --trust '{pem}' holds no usable public key: A 'PRIVATE KEY' PEM block is not a public key; a trust file holds PUBLIC KEY blocks only.\n",
            result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task Verify_PemFileWithoutKey_ExitsThree()
    {
        using var temp = new TempDirectory();
        var pem = temp.File("broken.pem");
        await File.WriteAllTextAsync(pem, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", TestContext.Current.CancellationToken);

        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", pem);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith($"error: --trust '{pem}' holds no usable public key: ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-keys.json", "no such file, and not a key id (sha256:…), an Ed25519 key (ed25519_pk:…) or a SidClaw head (sidclaw:<trace_id>=<hash>).")]
    [InlineData("sha256:abc", "is not a usable key: A key id is 'sha256:' followed by 64 lowercase hex digits.")]
    [InlineData("ed25519_pk:00", "is not a usable key: Not an Ed25519 public key")]
    public async Task Verify_UnusableTrustValue_ExitsThree(string trust, string message)
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", trust);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_BundleWithoutTrust_ExitsThreeAndSaysAKeyIsNeeded()
    {
        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"));

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        // --trust is optional for 'verify' (a SidClaw chain has no key); a traces/v1 bundle still needs a key.
        Assert.Equal("error: A traces/v1 bundle is verified under pinned keys: give at least one --trust (a key file .pem, a published key set " +
            ".json, or a key id sha256:…). Only a SidClaw document is verified without one (then at best Untrusted).\n", result.Error);
    }

    [Theory]
    [InlineData(new[] { "verfy", "bundle.json" }, "error: 'verfy' is not a traces command. Did you mean 'traces verify'?\nRun 'traces --help' for usage.\n")]
    [InlineData(new[] { "verify-cert", "c.json" }, "error: 'verify-cert' is not a traces command. Did you mean 'traces verify-certificate'?\nRun 'traces --help' for usage.\n")]
    [InlineData(new[] { "sohw" }, "error: 'sohw' is not a traces command. Did you mean 'traces show'?\nRun 'traces --help' for usage.\n")]
    [InlineData(new[] { "verify", "b.json", "--trsut", "k.json" }, "error: '--trsut' is not an option of 'traces verify'. Did you mean '--trust'?\nRun 'traces verify --help' for usage.\n")]
    public async Task MistypedCommandOrOption_SuggestsTheNearest_AndExitsThree(string[] args, string error)
    {
        var result = await Tool.RunAsync(args);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal(error, result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task UnknownCommand_FarFromAny_ListsTheCommands()
    {
        var result = await Tool.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith("error: 'frobnicate' is not a traces command. Commands: verify, verify-certificate, verify-inclusion, create, step, event, document, attest, ",
            result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TrustIsADirectory_SaysSo()
    {
        var directory = Path.GetDirectoryName(Tool.PublicKeys)!;

        var result = await Tool.RunAsync("verify", Tool.Vector("bundle-small.json"), "--trust", directory);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Equal($"error: --trust '{directory}' is a directory: give a key file in it (a .pem public key or a published key set .json), one --trust per key.\n",
            result.Error);
    }

    [Fact]
    public async Task VerifyHelp_DocumentsExitCodes()
    {
        var result = await Tool.RunAsync("verify", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Exit codes: 0 Valid, 1 Invalid, 2 Untrusted", result.Out, StringComparison.Ordinal);
        Assert.Contains("--trust", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Verify_LargeBundleRedirectedOrJson_DrawsNoProgressBar(bool terminal, bool json)
    {
        // Threshold 0 makes every bundle "large": only the terminal check and --json keep the bar away.
        var console = new TestConsole(isOutputTerminal: terminal);
        string[] args = json
            ? ["verify", Tool.Vector("bundle-small.json"), "--trust", Tool.PublicKeys, "--json"]
            : ["verify", Tool.Vector("bundle-small.json"), "--trust", Tool.PublicKeys];

        var result = await Tool.RunAsync(console, new CliSettings { ProgressThresholdBytes = 0 }, args);

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.DoesNotContain('\u001b', result.Out);
        Assert.DoesNotContain('\u001b', result.Error);
        Assert.DoesNotContain("Verifying", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_LargeBundleOnATerminal_StillEndsWithTheReport()
    {
        var console = new TestConsole(isOutputTerminal: true);

        var result = await Tool.RunAsync(console, new CliSettings { ProgressThresholdBytes = 0 },
            "verify", Tool.Vector("bundle-small.json"), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.Contains("Verdict: Valid", result.Out, StringComparison.Ordinal);
    }

    internal static IReadOnlyList<string> ManifestCodes(JsonElement record) =>
        record.GetProperty("codes").EnumerateArray().Select(c => c.GetString()!).Order(StringComparer.Ordinal).ToList();

    private static string Resolve(string value) => value.StartsWith("keys/", StringComparison.Ordinal) ? Tool.Vector(value) : value;
}
