using System.Text.Json.Nodes;
using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;

namespace Traces.Cli.Tests.Verification;

public class CertificateAndInclusionTests
{
    private const string SmallComposite = "sha256:e541d8edc88b3a5a92ada3fba1116e24386c52b9708976b570d761ab3a63ac42";
    private const string SmallRoot = "sha256:131dce914bbb34bac759a4ab0b8bac3bd63c7e412e5e03b8d29f99ffe75d5d03";

    [Fact]
    public async Task VerifyCertificate_Alone_IsValid()
    {
        var result = await Tool.RunAsync("verify-certificate", Tool.Vector("certificate.json"), "--trust", Tool.PublicKeys, "--json");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        var json = result.Json();
        Assert.Equal("Valid", json.GetProperty("verdict").GetString());
        Assert.Equal("tr_small0001", json.GetProperty("trace_id").GetString());
        Assert.Equal(5, json.GetProperty("entry_count").GetInt64());
        Assert.Equal(SmallComposite, json.GetProperty("composite_hash").GetString());
        Assert.Equal(["form", "certificate", "trust"], json.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task VerifyCertificate_Human_ListsCertificateCheck()
    {
        var result = await Tool.RunAsync("verify-certificate", Tool.Vector("certificate.json"), "--trust", Tool.Vector("keys/rsa-4096-test-public.pem"));

        Assert.Equal(ExitCodes.Valid, result.ExitCode);
        Assert.Contains("  ✓ certificate  RSA-PSS certificate: algorithm, key strength, signature, statement", result.Out.Split('\n'));
        Assert.Contains("Verdict: Valid — every check passed and every signer is pinned.", result.Out.Split('\n'));
    }

    [Theory]
    [InlineData("entries.json")]
    [InlineData("bundle-small.json")]
    public async Task VerifyCertificate_WithEntries_RecomputesAndIsValid(string entries)
    {
        var result = await Tool.RunAsync("verify-certificate", Tool.Vector("certificate.json"), "--trust", Tool.PublicKeys,
            "--entries", Tool.Vector(entries), "--json");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        var json = result.Json();
        Assert.Equal(5, json.GetProperty("entry_count").GetInt64());
        Assert.Equal(SmallComposite, json.GetProperty("composite_hash").GetString());
        Assert.Equal(SmallRoot, json.GetProperty("integrity_root_hash").GetString());
        Assert.Equal(["form", "chain", "signatures", "composite", "certificate", "trust"],
            json.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task VerifyCertificate_WithAnotherTracesEntries_IsInvalid()
    {
        var result = await Tool.RunAsync("verify-certificate", Tool.Vector("certificate.json"), "--trust", Tool.PublicKeys,
            "--entries", Tool.Vector("bundle-minimal.json"), "--json");

        // The one-entry trace's recomputed count, root and composite are not the ones the certificate signs.
        Assert.Equal(ExitCodes.Invalid, result.ExitCode);
        Assert.Equal(["composite_mismatch", "event_count_mismatch", "root_mismatch"], result.Codes());
    }

    [Fact]
    public async Task VerifyCertificate_UnderAnotherRsaKey_IsUntrusted()
    {
        var result = await Tool.RunAsync("verify-certificate", Tool.Vector("certificate.json"),
            "--trust", "sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9", "--json");

        Assert.Equal(ExitCodes.Untrusted, result.ExitCode);
        Assert.Equal(["untrusted_key"], result.Codes());
    }

    [Fact]
    public async Task VerifyCertificate_NotACertificate_ExitsThree()
    {
        var result = await Tool.RunAsync("verify-certificate", Tool.Vector("tampered/garbage.json"), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith($"error: The certificate '{Tool.Vector("tampered/garbage.json")}' is not a traces/v1 certificate: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyInclusion_Entry2_IsValid()
    {
        var result = await Tool.RunAsync("verify-inclusion", Tool.Vector("entry-2.json"), "--proof", Tool.Vector("inclusion-proof-2.json"),
            "--certificate", Tool.Vector("certificate.json"), "--trust", Tool.PublicKeys, "--json");

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        var json = result.Json();
        Assert.Equal("Valid", json.GetProperty("verdict").GetString());
        Assert.Equal("tr_small0001", json.GetProperty("trace_id").GetString());
        Assert.Empty(json.GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public async Task VerifyInclusion_TamperedPath_IsInvalidWithProofInvalid()
    {
        using var temp = new TempDirectory();
        var proof = JsonNode.Parse(await File.ReadAllTextAsync(Tool.Vector("inclusion-proof-2.json"), TestContext.Current.CancellationToken))!;
        proof["path"]![1] = "sha256:" + new string('0', 64);
        var tampered = temp.File("proof.json");
        await File.WriteAllTextAsync(tampered, proof.ToJsonString(), TestContext.Current.CancellationToken);

        var json = await Tool.RunAsync("verify-inclusion", Tool.Vector("entry-2.json"), "--proof", tampered,
            "--certificate", Tool.Vector("certificate.json"), "--trust", Tool.PublicKeys, "--json");
        var human = await Tool.RunAsync("verify-inclusion", Tool.Vector("entry-2.json"), "--proof", tampered,
            "--certificate", Tool.Vector("certificate.json"), "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.Invalid, json.ExitCode);
        Assert.Equal(["proof_invalid"], json.Codes());
        var finding = json.Json().GetProperty("findings")[0];
        Assert.Equal("/proof/path", finding.GetProperty("location").GetString());
        Assert.Equal(2, finding.GetProperty("entry_index").GetInt64());
        Assert.Equal(ExitCodes.Invalid, human.ExitCode);
        Assert.Contains("  ✗ inclusion    inclusion proof leads from the entry to the composite hash  [proof_invalid]", human.Out.Split('\n'));
    }

    [Fact]
    public async Task VerifyInclusion_WithoutProof_ExitsThree()
    {
        var result = await Tool.RunAsync("verify-inclusion", Tool.Vector("entry-2.json"), "--certificate", Tool.Vector("certificate.json"),
            "--trust", Tool.PublicKeys);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.Contains("error: Option '--proof' is required.", result.Error, StringComparison.Ordinal);
    }
}
