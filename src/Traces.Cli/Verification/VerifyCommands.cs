using System.CommandLine;
using Traces.Cli.Infrastructure;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Vendors;

namespace Traces.Cli.Verification;

/// <summary>
/// The auditor commands: <c>verify</c>, <c>verify-certificate</c>, <c>verify-inclusion</c>. Offline: they read files
/// and the keys given with <c>--trust</c>, nothing else (no network, no key taken from the document).
/// </summary>
internal static class VerifyCommands
{
    internal const string ExitCodeHelp =
        "Exit codes: 0 Valid, 1 Invalid, 2 Untrusted (consistent, but a signer, or a SidClaw head, is not pinned by --trust), " +
        "3 unusable input (missing file, unreadable trust key or document, a document that cannot be verified, bad arguments).";

    /// <summary>Bundles at least this large show a progress bar (when standard output is a terminal).</summary>
    internal const long DefaultProgressThresholdBytes = 16L * 1024 * 1024;

    public static IEnumerable<Command> Create(ICliConsole console, CliSettings settings)
    {
        yield return CreateVerify(console, settings);
        yield return CreateVerifyCertificate(console);
        yield return CreateVerifyInclusion(console);
    }

    private static Option<string[]> TrustOption(bool forVerify = false) => new("--trust")
    {
        Description = "A pinned key: a PEM file (Ed25519 or RSA public key), a published key set (.json, as served by " +
            "GET /v1/traces/public-key), a key id (sha256:…) or an Ed25519 key (ed25519_pk:…). Repeat for each key. " +
            (forVerify
                ? "For a SidClaw document, the head of a trace instead: sidclaw:<trace_id>=<hash>, or a JSON file {\"sidclaw_heads\": {…}}; " +
                  "without --trust a SidClaw document is at best Untrusted. "
                : "") +
            "Obtain keys and heads out of band: never from the document being verified.",
        Required = !forVerify,
        Arity = forVerify ? ArgumentArity.ZeroOrMore : ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<bool> JsonOption() => new("--json")
    {
        Description = "Print the report as JSON (snake_case) instead of text.",
    };

    private static Command CreateVerify(ICliConsole console, CliSettings settings)
    {
        var file = new Argument<string>("file")
        {
            Description = "The document: a traces/v1 proof bundle (e.g. from 'traces proof <id> --out bundle.json'), a SidClaw trace " +
                "document or audit export (JSON or CSV), Invoance audit events or an AI attestation receipt, a Novyx checkpoint " +
                "(or a folder of them) or trace certificate.",
        };
        var trust = TrustOption(forVerify: true);
        var format = new Option<string>("--format")
        {
            Description = "The document's format; 'auto' (the default) recognises it from its content. See docs/vendor-formats.md.",
            DefaultValueFactory = _ => "auto",
        };
        format.AcceptOnlyFromAmong(VendorVerification.FormatNames);
        var json = JsonOption();
        var maxEntries = new Option<long?>("--max-entries") { Description = $"Most entries accepted (default {VerificationOptions.Default.MaxEntries:N0})." };
        var maxEntryBytes = new Option<int?>("--max-entry-bytes") { Description = $"Largest single entry in bytes (default {VerificationOptions.Default.MaxEntryBytes:N0})." };
        var maxDepth = new Option<int?>("--max-depth") { Description = $"Deepest nesting inside each payload, its own object or array being level 1 (default {VerificationOptions.Default.MaxDepth}; proof-format §10.5)." };
        var maxBundleBytes = new Option<long?>("--max-bundle-bytes") { Description = $"Largest bundle in bytes (default {VerificationOptions.Default.MaxBundleBytes:N0})." };

        var command = new Command("verify",
            "Verify a document offline. A traces/v1 proof bundle: every payload, content and chain hash, the Merkle composite " +
            "hash, the seal event, the certificate and every signature, under the keys pinned with --trust. A SidClaw, " +
            "Invoance or Novyx document: what its vendor's published construction allows (docs/vendor-formats.md); a " +
            "document whose construction is unpublished is named and not verified (exit 3). " + ExitCodeHelp)
        {
            file, trust, format, json, maxEntries, maxEntryBytes, maxDepth, maxBundleBytes,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            var formatName = parse.GetValue(format) ?? "auto";
            var trustSet = TrustLoader.LoadSet(parse.GetValue(trust) ?? []);
            var defaults = VerificationOptions.Default;
            var options = defaults with
            {
                MaxEntries = Positive(parse.GetValue(maxEntries), "--max-entries") ?? defaults.MaxEntries,
                MaxEntryBytes = (int?)Positive(parse.GetValue(maxEntryBytes), "--max-entry-bytes") ?? defaults.MaxEntryBytes,
                MaxDepth = (int?)Positive(parse.GetValue(maxDepth), "--max-depth") ?? defaults.MaxDepth,
                MaxBundleBytes = Positive(parse.GetValue(maxBundleBytes), "--max-bundle-bytes") ?? defaults.MaxBundleBytes,
            };
            var asJson = parse.GetValue(json);

            if (Directory.Exists(path))
            {
                // Only Novyx checkpoints come as a folder of files (novyx-anchors' checkpoints/).
                return formatName is "auto" or VendorFormats.NovyxCheckpoint
                    ? await VendorVerification.RunAsync(console, settings, VendorFormats.NovyxCheckpoint, DocumentKind.NovyxCheckpoint, path, trustSet,
                        options, asJson, cancellationToken).ConfigureAwait(false)
                    : throw new CliException($"The document '{path}' is a directory: only --format {VendorFormats.NovyxCheckpoint} reads a folder (of checkpoint files).");
            }

            DocumentFiles.RequireFile(path, "document");
            var kind = VendorVerification.Detect(path);
            var chosen = formatName == "auto" ? DocumentDetector.FormatOf(kind) ?? VendorFormats.TracesV1 : formatName;
            if (DocumentDetector.WhyNotVerifiable(kind) is { } why && DocumentDetector.FormatOf(kind) == chosen)
            {
                throw new CliException(why);
            }

            if (chosen != VendorFormats.TracesV1)
            {
                return await VendorVerification.RunAsync(console, settings, chosen, kind, path, trustSet, options, asJson, cancellationToken)
                    .ConfigureAwait(false);
            }

            if (trustSet.SidClawHeads.Count > 0)
            {
                throw new CliException("--trust sidclaw:… pins the head of a SidClaw trace; a traces/v1 bundle is verified under keys.");
            }

            if (trustSet.KeyValues.Count == 0)
            {
                throw new CliException("A traces/v1 bundle is verified under pinned keys: give at least one --trust (a key file .pem, a published " +
                    "key set .json, or a key id sha256:…). Only a SidClaw document is verified without one (then at best Untrusted).");
            }

            var verifier = new BundleVerifier(trustSet.Policy, options);
            VerificationReport report;
            try
            {
                var length = new FileInfo(path).Length;
                report = console.IsOutputTerminal && !asJson && length >= settings.ProgressThresholdBytes
                    ? await FileProgress.ReadAsync(console, path, length, stream => verifier.VerifyAsync(stream, cancellationToken)).ConfigureAwait(false)
                    : await verifier.VerifyFileAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"The bundle '{path}' cannot be read: {e.Message}", inner: e);
            }

            var hint = report.Verdict == Verdict.Invalid ? DocumentHints.ForBundle(path) : null;
            return Write(console, "verify", "Proof bundle " + path, report, asJson, Recomputed, hint: hint);
        });
        return command;
    }

    private static Command CreateVerifyCertificate(ICliConsole console)
    {
        var certificate = new Argument<string>("certificate") { Description = "The certificate (JSON file), e.g. GET /v1/traces/{id}/certificate." };
        var entries = new Option<string?>("--entries")
        {
            Description = "The ordered entries it certifies: a JSON array of entries, or a proof bundle whose events are used. " +
                "Recomputes the entry count, chain root and composite hash and checks every entry.",
        };
        var trust = TrustOption();
        var json = JsonOption();
        var command = new Command("verify-certificate",
            "Verify a trace certificate offline: its RSASSA-PSS signature under a pinned RSA key and its form; with " +
            "--entries, also that those entries are exactly what it certifies. " + ExitCodeHelp)
        {
            certificate, trust, entries, json,
        };

        command.SetAction(parse =>
        {
            var certificatePath = parse.GetRequiredValue(certificate);
            var document = DocumentFiles.Read(certificatePath, "certificate", TracesJsonContext.Strict.TraceCertificate);
            var entriesPath = parse.GetValue(entries);
            var list = entriesPath is null ? null : ReadEntries(entriesPath);
            var verifier = new CertificateVerifier(TrustLoader.Load(parse.GetRequiredValue(trust)));
            var report = list is null ? verifier.Verify(document) : verifier.Verify(document, list);
            return Write(console, "verify-certificate", "Certificate " + certificatePath + (entriesPath is null ? "" : " with entries " + entriesPath),
                report, parse.GetValue(json), list is null ? "as certified" : Recomputed);
        });
        return command;
    }

    private static IReadOnlyList<BundleEntry> ReadEntries(string path)
    {
        var bytes = DocumentFiles.ReadAll(path, "entries file");
        switch (DocumentFiles.FirstSignificantByte(bytes))
        {
            case (byte)'[':
                return DocumentFiles.Read(path, "entries file", TracesJsonContext.Strict.ListBundleEntry);
            case (byte)'{':
                var bundle = DocumentFiles.Read(path, "entries file", TracesJsonContext.Strict.ProofBundle);
                return bundle.Events is { } events && events.All(e => e is not null)
                    ? events
                    : throw new CliException($"The bundle '{path}' has no usable 'events' array.");
            default:
                throw new CliException($"The entries file '{path}' is neither a JSON array of entries nor a proof bundle.");
        }
    }

    private static Command CreateVerifyInclusion(ICliConsole console)
    {
        var entry = new Argument<string>("entry") { Description = "One entry of the trace (JSON file), with or without its payload." };
        var proof = new Option<string>("--proof") { Description = "Its RFC 9162 inclusion proof (JSON file).", Required = true };
        var certificate = new Option<string>("--certificate") { Description = "The trace certificate that signs the composite hash (JSON file).", Required = true };
        var trust = TrustOption();
        var json = JsonOption();
        var command = new Command("verify-inclusion",
            "Verify that one entry belongs to a sealed trace without the other entries: the entry's hashes and " +
            "signature, its inclusion proof to the composite hash, and the certificate over that hash. " + ExitCodeHelp)
        {
            entry, proof, certificate, trust, json,
        };

        command.SetAction(parse =>
        {
            var entryPath = parse.GetRequiredValue(entry);
            var entryDocument = DocumentFiles.Read(entryPath, "entry", TracesJsonContext.Strict.BundleEntry);
            var proofDocument = DocumentFiles.Read(parse.GetRequiredValue(proof), "inclusion proof", TracesJsonContext.Strict.EntryInclusionProof);
            var certificateDocument = DocumentFiles.Read(parse.GetRequiredValue(certificate), "certificate", TracesJsonContext.Strict.TraceCertificate);
            var report = new InclusionVerifier(TrustLoader.Load(parse.GetRequiredValue(trust))).Verify(entryDocument, proofDocument, certificateDocument);
            return Write(console, "verify-inclusion", "Inclusion of entry " + entryPath, report, parse.GetValue(json), Recomputed, detachedEntry: true);
        });
        return command;
    }

    private const string Recomputed = "recomputed";

    private static int Write(ICliConsole console, string command, string title, VerificationReport report, bool asJson,
        string valueSource, bool detachedEntry = false, string? hint = null)
    {
        if (asJson)
        {
            ReportWriter.WriteJson(console.Out, ReportDocument.From(command, report, hint));
        }
        else
        {
            ReportWriter.WriteHuman(console.Out, title, report, valueSource, detachedEntry, hint);
        }

        return VerdictExitCode.Of(report.Verdict);
    }

    private static long? Positive(long? value, string option) =>
        value is null or > 0 ? value : throw new CliException($"{option} must be a positive number.");
}
