using AgentReasoningTrace;
using AspNetCoreIntegration;
using AuditorVerification;
using Quickstart;
using Traces.LocalServer;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Samples.Tests;

/// <summary>Each sample's main flow, in process, against the embedded server (never the network, whatever TRACES_ENDPOINT says).</summary>
public sealed class SampleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Quickstart_OnEmbeddedServer_SealsSixEntriesAndVerifiesValidOffline()
    {
        var output = new StringWriter();
        var directory = Directory.CreateTempSubdirectory("traces-quickstart-test-");

        var result = await QuickstartRunner.RunAsync(output, Traces.Samples.SampleTarget.Embedded, directory.FullName, Ct);

        try
        {
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(Verdict.Valid, result.Verdict);
            Assert.Equal(6, result.EntryCount);
            Assert.Matches("^sha256:[0-9a-f]{64}$", result.CompositeHash);
            var text = output.ToString();
            Assert.Contains($"trace id        {result.TraceId}", text, StringComparison.Ordinal);
            Assert.Contains("entries         6", text, StringComparison.Ordinal);
            Assert.Contains($"composite hash  {result.CompositeHash}", text, StringComparison.Ordinal);
            Assert.Contains("verdict         Valid", text, StringComparison.Ordinal);

            // The downloaded bundle (kept: a folder was given) proves nothing without pinned keys: with none it is only Untrusted.
            Assert.Equal(Path.Combine(directory.FullName, $"{result.TraceId}.json"), result.BundlePath);
            var unpinned = await new BundleVerifier(TrustPolicy.None).VerifyFileAsync(result.BundlePath!, Ct);
            Assert.Equal(Verdict.Untrusted, unpinned.Verdict);
            Assert.Contains($"proof     {result.BundlePath} (", text, StringComparison.Ordinal);
            Assert.Contains(" bytes; kept)", text, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Quickstart_WithoutAFolder_LeavesNothingBehind()
    {
        var output = new StringWriter();

        var result = await QuickstartRunner.RunAsync(output, Traces.Samples.SampleTarget.Embedded, outputDirectory: null, Ct);

        Assert.Equal(0, result.ExitCode);
        var folder = Path.GetDirectoryName(result.BundlePath)!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "traces-quickstart-"), folder, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), $"{folder} was left behind");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetTempPath(), $"*{result.TraceId}*"));
        Assert.Contains("bytes; temporary: deleted at exit; pass a folder to keep it)", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_AgainstAnEndpoint_FetchesKeysOnceAndSaysTheyAreNotPinned()
    {
        // "Remote" here is a loopback server this test owns: the TRACES_ENDPOINT path without the network.
        await using var server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions(), Ct);
        var output = new StringWriter();

        var result = await QuickstartRunner.RunAsync(output, Traces.Samples.SampleTarget.Remote(server.BaseAddress, server.ApiKey), cancellationToken: Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.False(Directory.Exists(Path.GetDirectoryName(result.BundlePath)));
        Assert.Equal(6, result.EntryCount);
        var text = output.ToString();
        Assert.Contains("A production auditor must pin keys obtained out of band", text, StringComparison.Ordinal);
        Assert.Contains("(fetched, NOT independently pinned)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("embedded", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentReasoningTrace_RecordsTheToolLoop_BundleCertificateAndTranscriptCheckOut()
    {
        var directory = Directory.CreateTempSubdirectory("traces-agent-sample-");
        try
        {
            var output = new StringWriter();

            var result = await AgentRunner.RunAsync(output, Traces.Samples.SampleTarget.Embedded, directory.FullName, Ct);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(
                "You were charged once. The second line (ch_7Q3) is a card authorization that was never captured (pending; expires 2026-03-05; never captured); it will drop off your statement.",
                result.Answer);
            Assert.Equal(Verdict.Valid, result.BundleVerdict);
            Assert.Equal(Verdict.Valid, result.CertificateVerdict);
            Assert.Equal(
                ["attestation", "THOUGHT", "ACTION", "OBSERVATION", "attestation", "THOUGHT", "ACTION", "OBSERVATION", "attestation", "OUTPUT"],
                result.Entries.Select(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
            Assert.True(result.TranscriptCheck!.IsMatch);
            Assert.Equal(10, result.TranscriptCheck.CheckedEntries);
            Assert.True(File.Exists(result.CertificatePath));
            Assert.True(File.Exists(result.TranscriptPath));

            // Only hashes left the process: the customer's data is in the private transcript, not in the record.
            Assert.Contains("OBSERVATION  sha256:", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("ch_7Q3", await File.ReadAllTextAsync(result.TranscriptPath!, Ct), StringComparison.Ordinal);
            Assert.Contains("transcript             matches the record (10 entries checked", output.ToString(), StringComparison.Ordinal);
            Assert.Contains($"files     {directory.FullName} (kept)", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AgentReasoningTrace_WithoutAFolder_LeavesNothingBehind()
    {
        var result = await AgentRunner.RunAsync(new StringWriter(), Traces.Samples.SampleTarget.Embedded, outputDirectory: null, Ct);

        Assert.Equal(0, result.ExitCode);
        var folder = Path.GetDirectoryName(result.CertificatePath)!;
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "traces-agent-"), folder, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder), $"{folder} was left behind");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetTempPath(), $"*{result.TraceId}*"));
    }

    [Fact]
    public async Task AuditorVerification_OnSmallVector_ValidUntrustedThenTamperedAmountIsCaughtAtEntryFour()
    {
        var output = new StringWriter();

        var result = await AuditorRunner.RunAsync(output, AuditorRunner.FindTestVector("bundle-small.json"), AuditorRunner.FindTestVector("public-keys.json"), Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Verdict.Valid, result.Original.Verdict);
        Assert.Equal(5, result.Original.EntryCount);
        Assert.Empty(result.Original.Findings);

        Assert.Equal(Verdict.Untrusted, result.WithoutTrust.Verdict);
        Assert.All(result.WithoutTrust.Findings, f => Assert.Equal(FindingCodes.UntrustedKey, f.Code));
        Assert.Equal(3, result.WithoutTrust.Findings.Count);

        Assert.Equal(Verdict.Invalid, result.Tampered.Verdict);
        var finding = Assert.Single(result.Tampered.Findings);
        Assert.Equal(FindingCodes.PayloadHashMismatch, finding.Code);
        Assert.Equal(4, finding.EntryIndex);
        Assert.Equal(new EntryReference(4, "evt_000004"), result.Tampered.FirstInvalidEntry);
        Assert.Contains("entry 4's payload \"amount\" changed from 1234.5 to 12345", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(result.TamperedPath)), "the tampered copy's folder was left behind");
    }

    [Fact]
    public async Task AspNetCoreIntegration_Smoke_OneOrderRecordedOnceDespiteRetry_SealedInBackground_Valid()
    {
        var output = new StringWriter();

        var result = await OrdersSmoke.RunAsync(output, OrdersTarget.Embedded, Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.EventCount);     // the retried POST /orders replayed: still three entries
        Assert.True(result.RetryReplayed);
        Assert.Equal("Valid", result.Verdict);
        Assert.Contains("POST /orders            202", output.ToString(), StringComparison.Ordinal);
    }
}
