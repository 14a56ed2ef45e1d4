using System.Diagnostics;
using System.Text.Json.Nodes;
using Traces.Client;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Operations;
using Traces.Samples;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Quickstart;

/// <summary>What the quickstart did, for its exit code and for the tests.</summary>
/// <remarks><see cref="BundlePath"/> no longer exists after the run unless an output folder was given.</remarks>
public sealed record QuickstartResult(int ExitCode, string? TraceId, long EntryCount, string? CompositeHash, Verdict? Verdict, string? BundlePath);

/// <summary>
/// The whole lifecycle in one method: create a trace, record steps, an event, a document (by hash) and an AI
/// attestation, seal and wait, download the proof bundle, and verify it offline under pinned keys.
/// </summary>
public static class QuickstartRunner
{
    /// <param name="output">Where the report goes.</param>
    /// <param name="target">The endpoint, or the embedded server.</param>
    /// <param name="outputDirectory">Where to keep the invoice and the proof bundle; <c>null</c>: a temporary folder, deleted at the end.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<QuickstartResult> RunAsync(TextWriter output, SampleTarget target, string? outputDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        output.WriteLine("Traces quickstart");
        using var folder = SampleFolder.Create(outputDirectory, "traces-quickstart-");
        try
        {
            await using var connection = await target.ConnectAsync(output, cancellationToken);
            return await RunFlowAsync(connection.Client, connection.Trust, connection.TrustSource, folder, output, cancellationToken);
        }
        catch (TracesApiException ex)
        {
            // Every client failure is a TracesApiException: HTTP status (0 = no response), error code, request id.
            output.WriteLine($"  FAILED    {ex.Message} (status {ex.Status}, code {ex.ErrorCode ?? "none"}, request id {ex.RequestId ?? "none"})");
            return new QuickstartResult(2, null, 0, null, null, null);
        }
    }

    private static async Task<QuickstartResult> RunFlowAsync(TracesClient client, TrustPolicy trust, string trustSource, SampleFolder folder, TextWriter output, CancellationToken ct)
    {
        // 1. A trace, then the entries chained into it, in order.
        var trace = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "Invoice Processing, Q1 2026", AgentId = "invoice-agent" }, ct);
        var traceId = trace.TraceId!;
        output.WriteLine($"  trace     {traceId} \"{trace.Label}\" ({trace.Status})");

        await client.Traces.AddStepAsync(traceId, new AddStepRequest { Type = StepType.Thought, Content = "Invoice INV-2026-001 arrived; check it against the purchase order." }, ct);
        await client.Traces.AddStepAsync(traceId, new AddStepRequest
        {
            Type = StepType.Action,
            Content = "lookup_purchase_order(PO-7781)",
            Metadata = new JsonObject { ["tool"] = "erp.lookup" },
        }, ct);
        await client.Events.RecordAsync(new RecordEventRequest
        {
            EventType = "invoice.received",
            Payload = new JsonObject { ["invoice_number"] = "INV-2026-001", ["amount"] = 5000, ["currency"] = "EUR" },
            TraceId = traceId,
        }, ct);

        // 2. A document anchored by hash: only its SHA-256 leaves this machine.
        var invoicePath = folder.File("INV-2026-001.txt");
        await File.WriteAllTextAsync(invoicePath, "INVOICE INV-2026-001\nACME GmbH\nTotal: EUR 5,000.00\n", ct);
        var document = await client.Documents.AnchorFileAsync(invoicePath, "INV-2026-001.pdf", traceId, ct);

        await client.Attestations.CreateAsync(new CreateAttestationRequest
        {
            Type = "output",
            Input = "Summarize invoice INV-2026-001",
            Output = "Commercial invoice from ACME GmbH for EUR 5,000, matches PO-7781.",
            ModelProvider = "openai",
            ModelName = "gpt-4.1",
            TraceId = traceId,
        }, ct);
        await client.Traces.AddStepAsync(traceId, new AddStepRequest { Type = StepType.Output, Content = "Approved for payment." }, ct);
        output.WriteLine($"  recorded  THOUGHT, ACTION, event invoice.received, document INV-2026-001.pdf, attestation openai/gpt-4.1, OUTPUT");
        output.WriteLine($"            document entry #{document.Index} anchors only its hash");

        // 3. Seal: the service answers 202 at once; the operation polls until the trace is sealed.
        var stopwatch = Stopwatch.StartNew();
        SealTraceOperation seal = await client.Traces.SealAsync(traceId, ct);
        TraceDetails sealedTrace = await seal.WaitForCompletionAsync(cancellationToken: ct);
        output.WriteLine($"  sealed    {sealedTrace.Status} in {stopwatch.Elapsed.TotalSeconds:0.0} s, {sealedTrace.EventCount} entries");

        // 4. Download the proof bundle to a file: from here on, no server is needed.
        var bundlePath = folder.File($"{traceId}.json");
        long bytes = await client.Traces.DownloadProofAsync(traceId, bundlePath, ct);
        output.WriteLine($"  proof     {bundlePath} ({bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes; {folder.Note})");

        // 5. Verify the file offline: every hash, chain link, Merkle root and signature recomputed here, under pinned keys.
        VerificationReport report = await new BundleVerifier(trust).VerifyFileAsync(bundlePath, ct);

        output.WriteLine();
        output.WriteLine("Offline verification report");
        output.WriteLine($"  trace id        {report.TraceId}");
        output.WriteLine($"  entries         {report.EntryCount}");
        output.WriteLine($"  composite hash  {report.CompositeHash}");
        output.WriteLine($"  root hash       {report.IntegrityRootHash}");
        output.WriteLine($"  trusted keys    {string.Join(", ", report.TrustedKeyIds)} from {trustSource}");
        output.WriteLine($"  checks          chain {Ok(report.ChainValid)}, signatures {Ok(report.SignaturesValid)}, composite {Ok(report.CompositeValid)}");
        foreach (var finding in report.Findings)
        {
            output.WriteLine($"  finding         {finding.Severity} {finding.Code} (entry {finding.EntryIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}): {finding.Message}");
        }

        output.WriteLine($"  verdict         {report.Verdict}");
        return new QuickstartResult(report.IsValid ? 0 : 1, traceId, report.EntryCount, report.CompositeHash, report.Verdict, bundlePath);
    }

    private static string Ok(bool value) => value ? "ok" : "FAILED";
}
