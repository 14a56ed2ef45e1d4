using System.Text.Json;
using Traces.Verification.Vendors.Invoance;
using Traces.Verification.Vendors.SidClaw;

namespace Traces.Verification.Vendors;

/// <summary>
/// Recognises a document's format from the start of its content (the member names of its top-level object, or of the
/// first element of its top-level array, or a CSV header), so that <c>traces verify</c> needs no <c>--format</c>.
/// Recognition picks which verifier reads the document; it never decides a verdict.
/// </summary>
public static class DocumentDetector
{
    /// <summary>How much of a document is enough to recognise it.</summary>
    public const int PrefixLength = 64 * 1024;

    /// <summary>Recognises <paramref name="prefix"/>, the first bytes of a document (all of it, or at least <see cref="PrefixLength"/>).</summary>
    public static DocumentKind Detect(ReadOnlySpan<byte> prefix)
    {
        prefix = VendorJson.SkipBom(prefix);
        switch (VendorJson.FirstSignificantByte(prefix))
        {
            case '{':
                return DetectObject(prefix);
            case '[':
                return DetectArray(prefix);
            case -1:
                return DocumentKind.Unknown;
            default:
                var text = System.Text.Encoding.UTF8.GetString(prefix[..Math.Min(prefix.Length, 4096)]).TrimStart('\uFEFF');
                var header = text.Split('\n')[0].TrimEnd('\r');
                return header.Split(',') is var columns && columns.Contains("event_id") && columns.Contains("trace_id") && columns.Contains("integrity_hash")
                    ? DocumentKind.SidClawAuditExportCsv
                    : DocumentKind.Unknown;
        }
    }

    /// <summary>For a document that is recognised but cannot be verified: why, and what to verify instead. Null otherwise.</summary>
    public static string? WhyNotVerifiable(DocumentKind kind) => kind switch
    {
        DocumentKind.SidClawTraceExport => SidClawVerifier.TraceExportExplanation,
        DocumentKind.InvoanceTraceProof => InvoanceTraceProof.Explanation,
        _ => null,
    };

    /// <summary>The <c>--format</c> name a kind is verified under (<see cref="VendorFormats"/>), or null.</summary>
    public static string? FormatOf(DocumentKind kind) => kind switch
    {
        DocumentKind.TracesV1Bundle or DocumentKind.TracesV1Certificate => VendorFormats.TracesV1,
        DocumentKind.SidClawTrace or DocumentKind.SidClawAuditExportJson or DocumentKind.SidClawAuditExportCsv
            or DocumentKind.SidClawTraceExport => VendorFormats.SidClaw,
        DocumentKind.InvoanceAttestation => VendorFormats.InvoanceAttestation,
        DocumentKind.InvoanceAuditEvents or DocumentKind.InvoanceTraceProof => VendorFormats.InvoanceAudit,
        DocumentKind.NovyxCheckpoint => VendorFormats.NovyxCheckpoint,
        DocumentKind.NovyxCertificate => VendorFormats.NovyxCertificate,
        _ => null,
    };

    private static DocumentKind DetectObject(ReadOnlySpan<byte> prefix)
    {
        var members = TopLevelMembers(prefix, out var version, out var v);
        bool Has(string name) => members.Contains(name);

        if (version == "traces/v1")
        {
            return DocumentKind.TracesV1Bundle;
        }

        if (v == "traces/v1")
        {
            return DocumentKind.TracesV1Certificate;
        }

        if (version == "1.0" && Has("trace_id") && Has("events") && Has("composite_hash"))
        {
            return DocumentKind.InvoanceTraceProof;
        }

        if (Has("trace") && Has("exported_at") && !Has("id"))
        {
            return DocumentKind.SidClawTraceExport;
        }

        if (Has("id") && Has("events") && (Has("final_outcome") || Has("authority_model") || Has("agent_name")))
        {
            return DocumentKind.SidClawTrace;
        }

        if (Has("signed_payload") && Has("signature"))
        {
            return DocumentKind.InvoanceAttestation;
        }

        if ((Has("action") && Has("org_id") && Has("seq")) || (Has("events") && Has("next_cursor")))
        {
            return DocumentKind.InvoanceAuditEvents;
        }

        if (Has("checkpoint_id") && Has("payload_hash") && Has("previous_checkpoint_hash"))
        {
            return DocumentKind.NovyxCheckpoint;
        }

        if (Has("integrity_root_hash") && Has("signature"))
        {
            return DocumentKind.NovyxCertificate;
        }

        return DocumentKind.Unknown;
    }

    private static DocumentKind DetectArray(ReadOnlySpan<byte> prefix)
    {
        var start = prefix.IndexOf((byte)'[');
        var members = TopLevelMembers(prefix[(start + 1)..], out _, out _);
        if (members.Contains("event_id") && members.Contains("trace_id") && members.Contains("integrity_hash"))
        {
            return DocumentKind.SidClawAuditExportJson;
        }

        return members.Contains("action") && members.Contains("seq") ? DocumentKind.InvoanceAuditEvents : DocumentKind.Unknown;
    }

    /// <summary>The member names of the first JSON object in <paramref name="data"/>, as far as the data reaches.</summary>
    private static HashSet<string> TopLevelMembers(ReadOnlySpan<byte> data, out string? version, out string? v)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        version = null;
        v = null;
        try
        {
            var reader = new Utf8JsonReader(data, isFinalBlock: false, default);
            while (reader.Read() && reader.TokenType != JsonTokenType.StartObject)
            {
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                if (!VendorJson.TryGetPropertyName(ref reader, out var name))
                {
                    break;
                }

                names.Add(name);
                if (!reader.Read())
                {
                    break;
                }

                if (reader.TokenType == JsonTokenType.String && name is "version" or "v" && VendorJson.TryGetString(ref reader, out var text))
                {
                    (version, v) = name == "version" ? (text, v) : (version, text);
                }

                if (!reader.TrySkip())
                {
                    break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON past this point: recognise from what was read.
        }

        return names;
    }
}
