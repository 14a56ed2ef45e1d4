using System.Text.Json;
using Microsoft.Extensions.AI;
using Traces.Client;
using Traces.Client.Errors;
using Traces.Extensions.AI.Content;
using Traces.Extensions.AI.Recording;
using Traces.Extensions.AI.Sinks;
using Traces.Extensions.AI.Transcripts;
using Traces.Samples;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace AgentReasoningTrace;

/// <summary>What the agent sample did.</summary>
/// <remarks>
/// <see cref="CertificatePath"/> and <see cref="TranscriptPath"/> no longer exist after the run unless an output
/// folder was given.
/// </remarks>
public sealed record AgentResult(
    int ExitCode, string? TraceId, string? Answer, IReadOnlyList<string> Entries, Verdict? BundleVerdict,
    string? CertificatePath, Verdict? CertificateVerdict, string? TranscriptPath, TranscriptCheckResult? TranscriptCheck);

/// <summary>
/// A support agent with two tools answers "why was I charged twice?". Every model call, tool call, tool result and
/// answer is recorded as it happens by the Traces.Extensions.AI middleware, with only the SHA-256 of the content
/// leaving the process. The trace is sealed, verified offline, and the private transcript is checked against it.
/// </summary>
public static class AgentRunner
{
    public const string Question = "I was charged twice on 2026-03-02. Why?";

    /// <param name="output">Where the report goes.</param>
    /// <param name="target">The endpoint, or the embedded server.</param>
    /// <param name="outputDirectory">Where to keep the certificate and the transcript; <c>null</c>: a temporary folder, deleted at the end.</param>
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
        catch (Exception ex) when (ex is TracesApiException or TraceRecordingException)
        {
            output.WriteLine($"  FAILED    {ex.Message}");
            return new AgentResult(2, null, null, [], null, null, null, null, null);
        }
    }

    private static async Task<AgentResult> RunFlowAsync(TracesClient client, TrustPolicy trust, SampleFolder folder, TextWriter output, CancellationToken ct)
    {
        // The recorder: one trace for this run, started on first use; only hashes of the content are sent.
        var recorder = new TraceRecorder(new TracesClientRecordingSink(client), new TraceRecorderOptions
        {
            StartTrace = new TraceStartRequest { AgentId = "support-agent-v3", Description = "Billing question from customer C-1042", Tags = ["support", "billing"] },
            ContentPolicy = ContentPolicy.HashOnly,
            FailurePolicy = RecordingFailurePolicy.Throw,
        });

        // The agent: a model, the real function invocation loop, and the recording middleware inside it.
        IChatClient model = new SupportModel();
        using IChatClient agent = model.AsBuilder().UseFunctionInvocation().UseTracesRecording(recorder).Build();
        var options = new ChatOptions { Tools = [BillingTools.ListCharges, BillingTools.GetAuthorization] };

        var response = await agent.GetResponseAsync(Question, options, ct);
        output.WriteLine($"  question  {Question}");
        output.WriteLine($"  answer    {response.Text}");

        // The run is over: seal it.
        var traceId = await recorder.SealAsync(ct);
        output.WriteLine($"  sealed    {traceId}");

        // Verified offline, from the raw bundle, under the pinned keys: nothing the server says is trusted.
        var report = await client.Traces.VerifyOfflineAsync(traceId, trust, ct);
        output.WriteLine($"  bundle    {report.Verdict} ({report.EntryCount} entries)");
        var proof = await client.Traces.GetProofAsync(traceId, ct);
        var entries = proof.Events!.Select(Describe).ToList();
        foreach (var entry in entries)
        {
            output.WriteLine($"    {entry}");
        }

        // The certificate: who sealed which composite hash over how many entries, signed with RSA-PSS.
        var certificate = await client.Traces.GetCertificateAsync(traceId, ct);
        var certificatePath = folder.File($"certificate-{traceId}.json");
        await File.WriteAllBytesAsync(certificatePath, JsonSerializer.SerializeToUtf8Bytes(certificate, TracesJsonContext.Default.TraceCertificate), ct);
        var fromFile = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(certificatePath, ct), TracesJsonContext.Strict.TraceCertificate)!;
        var certificateReport = new CertificateVerifier(trust).Verify(fromFile, proof.Events!);
        output.WriteLine($"  certificate + entries  {certificateReport.Verdict} ({certificatePath})");

        // The transcript stays private; disclosed later, anyone can check it against the sealed hashes.
        var transcriptPath = folder.File($"transcript-{traceId}.json");
        await File.WriteAllBytesAsync(transcriptPath, recorder.Transcript.ToJson(), ct);
        var disclosed = AgentTranscript.Parse(await File.ReadAllBytesAsync(transcriptPath, ct));
        var check = TranscriptVerifier.Check(proof, disclosed);
        output.WriteLine($"  transcript             {(check.IsMatch ? "matches" : "DOES NOT MATCH")} the record ({check.CheckedEntries} entries checked, {transcriptPath})");
        output.WriteLine($"  files     {folder.Path} ({folder.Note})");
        foreach (var finding in report.Findings)
        {
            output.WriteLine($"  finding   {finding.Severity} {finding.Code}: {finding.Message}");
        }

        var valid = report.IsValid && certificateReport.IsValid && check.IsMatch;
        return new AgentResult(valid ? 0 : 1, traceId, response.Text, entries, report.Verdict, certificatePath, certificateReport.Verdict, transcriptPath, check);
    }

    // One line per entry: its type, and the step's content as recorded (here a SHA-256). An attestation names its
    // model, which the service keeps under "context" (Invoance's attestation shape, docs/api.md).
    private static string Describe(BundleEntry entry)
    {
        var payload = entry.Payload!.Value;
        if (entry.EventType == "agent.step")
        {
            return $"{entry.Index,2} {payload.GetProperty("type").GetString(),-12} {Short(payload.GetProperty("content").GetString())}";
        }

        var model = payload.TryGetProperty("context", out var context) ? context : payload;
        return $"{entry.Index,2} {"attestation",-12} {Member(model, "model_provider")}/{Member(model, "model_name")}";
    }

    private static string Member(System.Text.Json.JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() ?? "-" : "-";

    private static string Short(string? hash) => hash is null ? "-" : hash.Length > 23 ? hash[..23] + "…" : hash;
}
