namespace Traces.Verification.Vendors;

/// <summary>What a document is, as <see cref="DocumentDetector"/> recognises it from its content.</summary>
public enum DocumentKind
{
    /// <summary>Not a document this library knows.</summary>
    Unknown,

    /// <summary>A traces/v1 proof bundle (<c>version</c> "traces/v1").</summary>
    TracesV1Bundle,

    /// <summary>A traces/v1 certificate (<c>v</c> "traces/v1"): verified by <c>traces verify-certificate</c>.</summary>
    TracesV1Certificate,

    /// <summary>A SidClaw trace document (<c>GET /api/v1/traces/:id</c>).</summary>
    SidClawTrace,

    /// <summary>SidClaw's audit export as a JSON array.</summary>
    SidClawAuditExportJson,

    /// <summary>SidClaw's audit export as CSV.</summary>
    SidClawAuditExportCsv,

    /// <summary>SidClaw's single-trace export, which carries no hash: not verifiable.</summary>
    SidClawTraceExport,

    /// <summary>An Invoance AI attestation receipt.</summary>
    InvoanceAttestation,

    /// <summary>Invoance signed audit events (one, an array, a page or NDJSON).</summary>
    InvoanceAuditEvents,

    /// <summary>An Invoance trace proof bundle (<c>version</c> "1.0"), whose construction is unpublished: not verifiable.</summary>
    InvoanceTraceProof,

    /// <summary>A Novyx signed checkpoint.</summary>
    NovyxCheckpoint,

    /// <summary>A Novyx trace certificate or <c>complete</c> answer.</summary>
    NovyxCertificate,
}
