using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace AuditorVerification;

/// <summary>What the auditor saw: the verdicts of the original, of the original with no trust, and of a tampered copy.</summary>
public sealed record AuditorResult(int ExitCode, VerificationReport Original, VerificationReport WithoutTrust, VerificationReport Tampered, string TamperedPath);

/// <summary>
/// Verifies a bundle under pinned keys, shows that the same bundle with no pinned key is only <c>Untrusted</c>,
/// then changes one payload value in a copy and shows what the verifier reports.
/// </summary>
public static class AuditorRunner
{
    public static async Task<AuditorResult> RunAsync(TextWriter output, string bundlePath, string publicKeysPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrEmpty(bundlePath);
        ArgumentException.ThrowIfNullOrEmpty(publicKeysPath);

        // Trust: the keys the auditor pinned, here a key-set file (FromFile also reads PEM public keys;
        // TrustPolicy.CreateBuilder() takes "ed25519_pk:…" keys or key ids too). Keys named inside the bundle are hints, never trust.
        var trust = TrustPolicy.FromFile(publicKeysPath);
        var verifier = new BundleVerifier(trust);

        output.WriteLine("Auditor verification (offline: no server, no network)");
        output.WriteLine($"  bundle    {bundlePath}");
        output.WriteLine($"  pinned    {string.Join(", ", trust.PinnedKeyIds)}");
        output.WriteLine();

        var original = await verifier.VerifyFileAsync(bundlePath, cancellationToken);
        Print(output, "1. The bundle as received", original);

        var withoutTrust = await new BundleVerifier(TrustPolicy.None).VerifyFileAsync(bundlePath, cancellationToken);
        Print(output, "2. The same bundle with no pinned key (the math holds, but nobody vouched for the signer)", withoutTrust);

        // Tamper: change one value in one payload, leave every hash and signature as it was.
        var tampered = JsonNode.Parse(await File.ReadAllBytesAsync(bundlePath, cancellationToken))!;
        var (index, member, before, after) = TamperOnePayloadValue(tampered);
        // The copy lives in a temporary folder that is deleted whatever happens: a run leaves nothing behind.
        var scratch = Directory.CreateTempSubdirectory("traces-auditor-");
        var tamperedPath = Path.Combine(scratch.FullName, $"tampered-{Path.GetFileName(bundlePath)}");
        VerificationReport tamperedReport;
        try
        {
            await File.WriteAllTextAsync(tamperedPath, tampered.ToJsonString(), cancellationToken);
            tamperedReport = await verifier.VerifyFileAsync(tamperedPath, cancellationToken);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        Print(output, $"3. A copy with entry {index}'s payload \"{member}\" changed from {before} to {after}", tamperedReport);

        var exit = original.IsValid && tamperedReport.Verdict == Verdict.Invalid ? 0 : 1;
        output.WriteLine(exit == 0
            ? "Result: the original is Valid under the pinned keys, and the tampered copy is caught."
            : "Result: UNEXPECTED, see the findings above.");
        return new AuditorResult(exit, original, withoutTrust, tamperedReport, tamperedPath);
    }

    /// <summary>Finds <c>docs/test-vectors/<paramref name="fileName"/></c> above the working directory or the program.</summary>
    public static string FindTestVector(string fileName)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "docs", "test-vectors", fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"docs/test-vectors/{fileName} was not found above {Directory.GetCurrentDirectory()}; pass the bundle and key-set paths as arguments.");
    }

    /// <summary>
    /// Multiplies the last payload <c>amount</c> by ten (an extra zero on a payment); without one, changes the first
    /// integer or string member of the first payload.
    /// </summary>
    private static (int Index, string Member, string Before, string After) TamperOnePayloadValue(JsonNode bundle)
    {
        var events = bundle["events"]!.AsArray();
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i]?["payload"] is JsonObject { } withAmount && withAmount["amount"] is JsonValue amount && amount.TryGetValue<decimal>(out var value))
            {
                withAmount["amount"] = value * 10;
                return (i, "amount", value.ToString("0.############", CultureInfo.InvariantCulture), (value * 10).ToString("0.############", CultureInfo.InvariantCulture));
            }
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (events[i]?["payload"] is not JsonObject payload)
            {
                continue;
            }

            foreach (var (name, value) in payload.ToList())
            {
                if (value is JsonValue v && v.TryGetValue<long>(out var number))
                {
                    payload[name] = number + 1;
                    return (i, name, number.ToString(CultureInfo.InvariantCulture), (number + 1).ToString(CultureInfo.InvariantCulture));
                }
            }

            foreach (var (name, value) in payload.ToList())
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    payload[name] = text + " (edited)";
                    return (i, name, $"\"{text}\"", $"\"{text} (edited)\"");
                }
            }
        }

        throw new InvalidDataException("The bundle has no payload value to change.");
    }

    private static void Print(TextWriter output, string title, VerificationReport report)
    {
        output.WriteLine(title);
        output.WriteLine($"   verdict   {report.Verdict}   ({report.EntryCount} entries, trace {report.TraceId})");
        output.WriteLine($"   checks    chain {Ok(report.ChainValid)}, signatures {Ok(report.SignaturesValid)}, composite {Ok(report.CompositeValid)}");
        if (report.FirstInvalidEntry is { } first)
        {
            output.WriteLine($"   first invalid entry  #{first.EntryIndex} ({first.EventId})");
        }

        foreach (var finding in report.Findings)
        {
            var where = finding.EntryIndex is { } index ? $"entry #{index}{(finding.EventId is null ? "" : " " + finding.EventId)}" : finding.Location ?? "bundle";
            output.WriteLine($"   {finding.Severity,-8} {finding.Code,-24} {where}: {finding.Message}");
        }

        output.WriteLine();
    }

    private static string Ok(bool value) => value ? "ok" : "FAILED";
}
