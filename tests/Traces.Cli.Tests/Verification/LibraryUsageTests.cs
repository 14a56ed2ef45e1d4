using System.Text.Json;
using Traces.Cli.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Cli.Tests.Verification;

/// <summary>
/// Library usage in the shape of docs/verification.md "Library usage", with its exact output on a valid and a tampered
/// bundle (the block itself is compiled and run as printed by tests/Traces.Samples.Tests, DocumentationSnippetTests).
/// </summary>
public class LibraryUsageTests
{
    private static async Task<Verdict> VerifyBundleAsync(string publicKeysPath, string bundlePath, TextWriter output)
    {
        // Pin keys obtained out of band (configuration, a document you received over a channel you trust):
        // never the ones inside the bundle.
        var keys = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(publicKeysPath), TracesJsonContext.Default.PublishedKeySet)!;
        var trust = TrustPolicy.CreateBuilder()
            .AddPublishedKeys(keys)   // or .AddKey("sha256:…"), .AddKey("ed25519_pk:…"), .AddKey(rsaPublicKeyPem)
            .Build();

        var verifier = new BundleVerifier(trust, VerificationOptions.Default with { MaxEntries = 1_000_000 });
        VerificationReport report = await verifier.VerifyFileAsync(bundlePath);   // streamed: memory does not grow with n

        output.WriteLine($"{report.Verdict}: {report.TraceId}, {report.EntryCount} entries, composite {report.CompositeHash}");
        foreach (var check in report.Checks)   // each Passed, Failed or NotRun, as the check itself recorded it
        {
            if (check.State != CheckState.Passed)
            {
                output.WriteLine($"  {check.Check}: {check.State}");
            }
        }

        foreach (var finding in report.Findings)
        {
            output.WriteLine($"  {finding.Code} ({finding.Severity}) entry {finding.EntryIndex} {finding.EventId} at {finding.Location}: {finding.Message}");
        }

        return report.Verdict;   // Valid only if every check passed and every signer is pinned
    }

    [Fact]
    public async Task Snippet_OnTheSmallBundle_PrintsValidAndTheCompositeHash()
    {
        var output = new StringWriter { NewLine = "\n" };

        var verdict = await VerifyBundleAsync(Tool.PublicKeys, Tool.Vector("bundle-small.json"), output);

        Assert.Equal(Verdict.Valid, verdict);
        Assert.Equal("Valid: tr_small0001, 5 entries, composite sha256:e541d8edc88b3a5a92ada3fba1116e24386c52b9708976b570d761ab3a63ac42\n", output.ToString());
    }

    [Fact]
    public async Task Snippet_OnATamperedBundle_ListsTheFindings()
    {
        var output = new StringWriter { NewLine = "\n" };

        var verdict = await VerifyBundleAsync(Tool.PublicKeys, Tool.Vector("tampered/entry2_signature.json"), output);

        Assert.Equal(Verdict.Invalid, verdict);
        Assert.StartsWith("Invalid: tr_tamper0001, 6 entries, composite sha256:", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\n  Signatures: Failed\n  signature_invalid (Error) entry 2 evt_000002 at /events/2/signature: ", output.ToString(), StringComparison.Ordinal);
    }
}
