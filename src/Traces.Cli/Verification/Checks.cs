using Traces.Cli.Infrastructure;
using Traces.Verification.Reports;

namespace Traces.Cli.Verification;

/// <summary>The outcome of one group of checks: its name, and the finding codes that failed it.</summary>
internal sealed record CheckResult(string Name, string Description, IReadOnlyList<string> Codes)
{
    public bool Passed => Codes.Count == 0;
}

/// <summary>
/// Groups the stable finding codes (proof-format §10.3) into the checks a person reads: did the document parse,
/// does the chain hold, do the signatures verify, and so on. Each code belongs to exactly one group.
/// </summary>
internal static class Checks
{
    public const string Form = "form";
    public const string Chain = "chain";
    public const string Signatures = "signatures";
    public const string Composite = "composite";
    public const string Seal = "seal";
    public const string Certificate = "certificate";
    public const string Inclusion = "inclusion";
    public const string Trust = "trust";

    private static readonly (string Name, string Description, string[] Codes)[] s_groups =
    [
        (Form, "well-formed traces/v1 document, within limits",
            [FindingCodes.Malformed, FindingCodes.LimitExceeded, FindingCodes.UnsupportedVersion]),
        (Chain, "payload hashes, content hashes, indices, chain links, integrity root",
            [FindingCodes.PayloadHashMismatch, FindingCodes.ContentHashMismatch, FindingCodes.IndexMismatch, FindingCodes.ChainBroken, FindingCodes.RootMismatch]),
        (Signatures, "Ed25519 entry signatures and key ids",
            [FindingCodes.SignatureInvalid, FindingCodes.KeyIdMismatch]),
        (Composite, "Merkle composite hash and event count",
            [FindingCodes.CompositeMismatch, FindingCodes.EventCountMismatch]),
        (Seal, "seal event commits to this trace",
            [FindingCodes.SealMismatch]),
        (Certificate, "RSA-PSS certificate: algorithm, key strength, signature, statement",
            [FindingCodes.CertificateInvalid, FindingCodes.CertificateMismatch, FindingCodes.UnsupportedAlgorithm, FindingCodes.WeakKey]),
        (Inclusion, "inclusion proof leads from the entry to the composite hash",
            [FindingCodes.ProofInvalid]),
        (Trust, "every signer pinned by --trust",
            [FindingCodes.UntrustedKey]),
    ];

    public static readonly string[] ForBundle = [Form, Chain, Signatures, Composite, Seal, Certificate, Trust];
    public static readonly string[] ForCertificate = [Form, Certificate, Trust];
    public static readonly string[] ForCertificateWithEntries = [Form, Chain, Signatures, Composite, Certificate, Trust];
    public static readonly string[] ForInclusion = [Form, Chain, Signatures, Inclusion, Certificate, Trust];

    public static IReadOnlyList<CheckResult> Evaluate(VerificationReport report, IReadOnlyList<string> names)
    {
        var failed = report.Findings.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        return names.Select(name =>
        {
            var group = s_groups.Single(g => g.Name == name);
            return new CheckResult(name, group.Description, group.Codes.Where(failed.Contains).ToList());
        }).ToList();
    }
}

/// <summary>Maps a verdict to the process exit code.</summary>
internal static class VerdictExitCode
{
    public static int Of(Verdict verdict) => verdict switch
    {
        Verdict.Valid => ExitCodes.Valid,
        Verdict.Untrusted => ExitCodes.Untrusted,
        _ => ExitCodes.Invalid,
    };
}
