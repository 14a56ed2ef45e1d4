using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Client;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Samples;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace AgentReasoningTrace;

/// <summary>What the agent sample did.</summary>
/// <remarks><see cref="CertificatePath"/> no longer exists after the run unless an output folder was given.</remarks>
public sealed record AgentResult(int ExitCode, string? TraceId, int StepCount, string? CertificatePath, Verdict? CertificateVerdict, Verdict? EntriesVerdict);

/// <summary>
/// A support agent answering "why was I charged twice?": each THOUGHT, ACTION, OBSERVATION and OUTPUT is appended to
/// the trace as it happens, so the record cannot be rewritten afterwards to look better.
/// </summary>
public static class AgentRunner
{
    private static readonly (StepType Type, string Content, JsonObject? Metadata)[] s_steps =
    [
        (StepType.Thought, "The customer reports two charges on 2026-03-02; check the billing ledger before answering.", null),
        (StepType.Action, "billing.list_charges(customer_id=\"C-1042\", date=\"2026-03-02\")", new JsonObject { ["tool"] = "billing.list_charges" }),
        (StepType.Observation, "Two charges of EUR 49.00; the second is a pending authorization that expires in 3 days.", new JsonObject { ["charges"] = 2 }),
        (StepType.Output, "You were charged once. The second line is a temporary authorization that will drop off within 3 days.", null),
    ];

    /// <param name="output">Where the report goes.</param>
    /// <param name="target">The endpoint, or the embedded server.</param>
    /// <param name="outputDirectory">Where to keep the certificate; <c>null</c>: a temporary folder, deleted at the end.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<AgentResult> RunAsync(TextWriter output, SampleTarget target, string? outputDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        output.WriteLine("Agent reasoning trace");
        using var folder = SampleFolder.Create(outputDirectory, "traces-agent-");
        try
        {
            await using var connection = await target.ConnectAsync(output, cancellationToken);
            return await RunFlowAsync(connection.Client, connection.Trust, folder, output, cancellationToken);
        }
        catch (TracesApiException ex)
        {
            output.WriteLine($"  FAILED    {ex.Message} (status {ex.Status}, code {ex.ErrorCode ?? "none"}, request id {ex.RequestId ?? "none"})");
            return new AgentResult(2, null, 0, null, null, null);
        }
    }

    private static async Task<AgentResult> RunFlowAsync(TracesClient client, TrustPolicy trust, SampleFolder folder, TextWriter output, CancellationToken ct)
    {
        var trace = await client.Traces.CreateAsync(new CreateTraceRequest
        {
            AgentId = "support-agent-v3",
            Description = "Billing question from customer C-1042",
            Tags = ["support", "billing"],
        }, ct);
        var traceId = trace.TraceId!;
        output.WriteLine($"  trace     {traceId} (agent {trace.AgentId})");

        foreach (var (type, content, metadata) in s_steps)
        {
            StepReceipt step = await client.Traces.AddStepAsync(traceId, new AddStepRequest { Type = type, Content = content, Metadata = metadata }, ct);
            output.WriteLine($"  step {step.StepIndex}    {type,-12} chain {Short(step.IntegrityChainHash)}");
        }

        // Novyx calls sealing "complete"; it is the same operation as SealAsync.
        var operation = await client.Traces.CompleteAsync(traceId, ct);
        var sealedTrace = await operation.WaitForCompletionAsync(cancellationToken: ct);
        output.WriteLine($"  complete  {sealedTrace.Status}, integrity root {Short(sealedTrace.IntegrityRootHash)}");

        // The certificate: who sealed which composite hash over how many entries, signed with RSA-PSS.
        var certificate = await client.Traces.GetCertificateAsync(traceId, ct);
        var certificatePath = folder.File($"certificate-{traceId}.json");
        await File.WriteAllBytesAsync(certificatePath, JsonSerializer.SerializeToUtf8Bytes(certificate, TracesJsonContext.Default.TraceCertificate), ct);
        output.WriteLine($"  exported  {certificatePath} ({folder.Note})");

        // Anyone with the file and the pinned key can check it, with no server.
        var fromFile = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(certificatePath, ct), TracesJsonContext.Strict.TraceCertificate)!;
        var verifier = new CertificateVerifier(trust);
        var alone = verifier.Verify(fromFile);
        output.WriteLine($"  certificate alone      {alone.Verdict} (signature under the pinned RSA key)");

        // With the entries, the verifier also recomputes the count, chain root and Merkle composite hash.
        var proof = await client.Traces.GetProofAsync(traceId, ct);
        var withEntries = verifier.Verify(fromFile, proof.Events!);
        output.WriteLine($"  certificate + entries  {withEntries.Verdict} ({withEntries.EntryCount} entries, composite {Short(withEntries.CompositeHash)})");
        foreach (var finding in alone.Findings.Concat(withEntries.Findings))
        {
            output.WriteLine($"  finding   {finding.Severity} {finding.Code}: {finding.Message}");
        }

        var exit = alone.IsValid && withEntries.IsValid ? 0 : 1;
        return new AgentResult(exit, traceId, s_steps.Length, certificatePath, alone.Verdict, withEntries.Verdict);
    }

    private static string Short(string? hash) => hash is null ? "-" : hash.Length > 23 ? hash[..23] + "…" : hash;
}
