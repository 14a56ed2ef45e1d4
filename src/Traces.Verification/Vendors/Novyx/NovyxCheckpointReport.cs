using System.Globalization;
using Traces.Verification.Anchors;
using Traces.Verification.Reports;

namespace Traces.Verification.Vendors.Novyx;

/// <summary>
/// Novyx checkpoints (novyxlabs/novyx-anchors) in the shape every vendor format is reported in: each checkpoint an item,
/// the <see cref="NovyxCheckpointVerifier"/>'s findings on them. The key is the caller's (a pinned key file).
/// </summary>
public static class NovyxCheckpointReport
{
    /// <summary>Parses and verifies checkpoint documents (one file, or every file of a folder), as <see cref="NovyxCheckpointVerifier.VerifyDocuments"/> does.</summary>
    public static VendorReport Verify(NovyxCheckpointVerifier verifier, IReadOnlyList<ReadOnlyMemory<byte>> documents, VerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(documents);
        var result = verifier.VerifyDocuments(documents);
        var builder = new VendorReportBuilder(VendorFormats.NovyxCheckpoint, (options ?? VerificationOptions.Default).MaxFindings);
        builder.Subject = $"Novyx checkpoints, {result.Checkpoints.Count.ToString(CultureInfo.InvariantCulture)} distinct of "
            + $"{documents.Count.ToString(CultureInfo.InvariantCulture)} documents";
        builder.Check(VendorCheckNames.Form, "Each document is a checkpoint: checkpoint_id, created_at, counts, three 64-hex hashes, base64 signature.");
        builder.Check(VendorCheckNames.Signature,
            $"RSASSA-PSS over the UTF-8 text of payload_hash, under {verifier.Scheme}, with the pinned key {verifier.TrustedKey}.");
        builder.Check(VendorCheckNames.KeyFingerprint, $"key_fingerprint is {verifier.TrustedKeyFingerprint.ToHex()} (SHA-256 of the pinned key file).");
        builder.Check(VendorCheckNames.Chain,
            "previous_checkpoint_hash of checkpoint k is the payload_hash of checkpoint k-1 (64 zeros for checkpoint 1); the link across a gap is not checkable.");
        builder.Check(VendorCheckNames.Trust, "The key is the caller's pinned key file, never one named by a checkpoint.");

        var items = result.Checkpoints.ToDictionary(c => c.CheckpointId, c => builder.AddItem("checkpoint", c.CheckpointId.ToString(CultureInfo.InvariantCulture)));
        foreach (var finding in result.AllFindings)
        {
            var check = finding.Code switch
            {
                NovyxFindingCodes.SignatureInvalid => VendorCheckNames.Signature,
                NovyxFindingCodes.FingerprintMismatch => VendorCheckNames.KeyFingerprint,
                NovyxFindingCodes.ChainBroken or NovyxFindingCodes.ChainGap => VendorCheckNames.Chain,
                _ => VendorCheckNames.Form,
            };
            var converted = new Finding(finding.Code, finding.IsFailure ? FindingSeverity.Error : FindingSeverity.Info, finding.Message)
            {
                EventId = finding.CheckpointId?.ToString(CultureInfo.InvariantCulture),
            };
            builder.Add(check, converted, finding.CheckpointId is { } id && items.TryGetValue(id, out var item) ? item : null);
        }

        if (documents.Count == 0)
        {
            builder.Add(VendorCheckNames.Form, new Finding(FindingCodes.Malformed, FindingSeverity.Error, "No checkpoint document was given."));
        }
        else
        {
            builder.Completed(VendorCheckNames.Form);
            if (result.Checkpoints.Count > 0)
            {
                builder.Completed(VendorCheckNames.Signature);
                builder.Completed(VendorCheckNames.KeyFingerprint);
                builder.Completed(VendorCheckNames.Trust);
            }

            // A link is checkable for checkpoint 1 (to 64 zeros) and for each checkpoint whose predecessor is present.
            var ids = result.Checkpoints.Select(c => c.CheckpointId).ToHashSet();
            var links = ids.Count(id => id == 1 || ids.Contains(id - 1));
            if (links > 0)
            {
                builder.Completed(VendorCheckNames.Chain);
            }
            else if (result.Checkpoints.Count > 0)
            {
                builder.Check(VendorCheckNames.Chain, "Not run: no checkpoint here has its predecessor beside it (nor is checkpoint 1), so no link can be checked.");
            }
        }

        return builder.Build();
    }
}
