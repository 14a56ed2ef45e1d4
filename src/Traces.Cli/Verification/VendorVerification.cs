using Traces.Cli.Infrastructure;
using Traces.Verification;
using Traces.Verification.Anchors;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.Invoance;
using Traces.Verification.Vendors.Novyx;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Cli.Verification;

/// <summary>
/// <c>traces verify</c> for vendor documents (docs/vendor-formats.md): picks the verifier for the format, checks that
/// <c>--trust</c> pins the kind of thing that format is verified under (keys, or SidClaw heads), and writes the report
/// in the same shape as a traces/v1 one.
/// </summary>
internal static class VendorVerification
{
    /// <summary>Formats <c>--format</c> accepts, <c>auto</c> first.</summary>
    public static readonly string[] FormatNames =
    [
        "auto", VendorFormats.TracesV1, VendorFormats.SidClaw, VendorFormats.InvoanceAttestation, VendorFormats.InvoanceAudit,
        VendorFormats.NovyxCheckpoint, VendorFormats.NovyxCertificate,
    ];

    /// <summary>Reads enough of <paramref name="path"/> to recognise it.</summary>
    public static DocumentKind Detect(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var prefix = new byte[DocumentDetector.PrefixLength];
            var read = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
            return DocumentDetector.Detect(prefix.AsSpan(0, read));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"The document '{path}' cannot be read: {e.Message}", inner: e);
        }
    }

    public static async Task<int> RunAsync(ICliConsole console, CliSettings settings, string format, DocumentKind kind, string path,
        TrustSet trust, VerificationOptions options, bool asJson, CancellationToken cancellationToken)
    {
        RequireTrustFor(format, trust);
        VendorReport report;
        try
        {
            report = format switch
            {
                VendorFormats.SidClaw => await VerifySidClawAsync(console, settings, kind, path, trust.SidClawHeads, options, asJson, cancellationToken)
                    .ConfigureAwait(false),
                VendorFormats.InvoanceAudit => new InvoanceAuditVerifier(trust.Policy, options).Verify(DocumentFiles.ReadAll(path, "document")),
                VendorFormats.InvoanceAttestation => new InvoanceAttestationVerifier(trust.Policy, options).Verify(DocumentFiles.ReadAll(path, "document")),
                VendorFormats.NovyxCertificate => new NovyxCertificateVerifier(trust.Policy, options).Verify(DocumentFiles.ReadAll(path, "document")),
                VendorFormats.NovyxCheckpoint => NovyxCheckpointReport.Verify(NovyxVerifier(trust), ReadCheckpoints(path), options),
                _ => throw new CliException($"Unknown format '{format}'."),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"The document '{path}' cannot be read: {e.Message}", inner: e);
        }

        if (asJson)
        {
            ReportWriter.WriteJson(console.Out, ReportDocument.From("verify", report));
        }
        else
        {
            VendorReportWriter.WriteHuman(console.Out, path, report);
        }

        return VerdictExitCode.Of(report.Verdict);
    }

    /// <summary>A format is verified under keys or under SidClaw heads: a pin of the other kind is a mistake, never ignored.</summary>
    private static void RequireTrustFor(string format, TrustSet trust)
    {
        if (format == VendorFormats.SidClaw && trust.KeyValues.Count > 0)
        {
            throw new CliException($"A SidClaw chain has no key, so --trust '{trust.KeyValues[0]}' pins nothing for it: pin each trace's head " +
                "with --trust sidclaw:<trace_id>=<hash> (or a file {\"sidclaw_heads\": {…}}).");
        }

        if (format != VendorFormats.SidClaw && trust.SidClawHeads.Count > 0)
        {
            throw new CliException($"--trust sidclaw:… pins the head of a SidClaw trace; a {format} document is verified under keys.");
        }
    }

    private static async Task<VendorReport> VerifySidClawAsync(ICliConsole console, CliSettings settings, DocumentKind kind, string path,
        SidClawHeadPins pins, VerificationOptions options, bool asJson, CancellationToken cancellationToken)
    {
        var verifier = new SidClawVerifier(pins, options);
        var exportFormat = kind switch
        {
            DocumentKind.SidClawAuditExportJson => SidClawExportFormat.Json,
            DocumentKind.SidClawAuditExportCsv => SidClawExportFormat.Csv,
            _ => (SidClawExportFormat?)null,
        };
        var length = new FileInfo(path).Length;
        if (exportFormat is not { } form || !console.IsOutputTerminal || asJson || length < settings.ProgressThresholdBytes)
        {
            return await verifier.VerifyFileAsync(path, cancellationToken).ConfigureAwait(false);
        }

        // A large export on a terminal: a progress bar over the bytes read (the export streams, one event at a time).
        return await FileProgress.ReadAsync(console, path, length, stream => verifier.VerifyAuditExportAsync(stream, form, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Novyx checkpoints are verified under Novyx's key file as published: its bytes give the key and its fingerprint.</summary>
    private static NovyxCheckpointVerifier NovyxVerifier(TrustSet trust)
    {
        var verifiers = new List<NovyxCheckpointVerifier>();
        foreach (var file in trust.KeyFiles)
        {
            try
            {
                verifiers.Add(NovyxCheckpointVerifier.FromPublishedKeyFile(file.Bytes));
            }
            catch (ArgumentException)
            {
                // An Ed25519 key file: not Novyx's (its checkpoints are RSA).
            }
        }

        return verifiers.Count switch
        {
            1 => verifiers[0],
            0 => throw new CliException("A Novyx checkpoint is verified under Novyx's RSA key file, as published (keys/sentinel_public.pem " +
                "of novyxlabs/novyx-anchors, obtained out of band): give it with --trust <file.pem>."),
            _ => throw new CliException("Give one RSA key file with --trust for Novyx checkpoints: checkpoints name their key by the hash of that file."),
        };
    }

    /// <summary>One checkpoint file, or every <c>.json</c> file of a folder (in name order).</summary>
    private static List<ReadOnlyMemory<byte>> ReadCheckpoints(string path)
    {
        if (!Directory.Exists(path))
        {
            return [DocumentFiles.ReadAll(path, "checkpoint")];
        }

        var files = Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToList();
        return files.Count == 0
            ? throw new CliException($"The folder '{path}' holds no .json checkpoint file.")
            : [.. files.Select(f => (ReadOnlyMemory<byte>)DocumentFiles.ReadAll(f, "checkpoint"))];
    }
}
