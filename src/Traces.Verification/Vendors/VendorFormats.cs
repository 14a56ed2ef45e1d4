namespace Traces.Verification.Vendors;

/// <summary>The names of the formats <c>traces verify</c> reads (its <c>--format</c> values and the report's <c>format</c>).</summary>
public static class VendorFormats
{
    /// <summary>A traces/v1 proof bundle (docs/proof-format.md).</summary>
    public const string TracesV1 = "traces-v1";

    /// <summary>A SidClaw trace document (<c>GET /api/v1/traces/:id</c>) or audit export (<c>GET /api/v1/audit/export</c>, JSON or CSV).</summary>
    public const string SidClaw = "sidclaw";

    /// <summary>An Invoance AI attestation receipt (<c>GET /v1/ai/attestations/:id</c>).</summary>
    public const string InvoanceAttestation = "invoance-attestation";

    /// <summary>Invoance signed audit events (<c>invoance.audit/1</c>): one event, an array, a page <c>{events:[…]}</c> or NDJSON.</summary>
    public const string InvoanceAudit = "invoance-audit";

    /// <summary>Novyx signed audit checkpoints (novyxlabs/novyx-anchors): one file or a folder of them.</summary>
    public const string NovyxCheckpoint = "novyx-checkpoint";

    /// <summary>A Novyx trace certificate (<c>GET /v1/traces/{id}/certificate</c>) or the answer of <c>POST /v1/traces/{id}/complete</c>.</summary>
    public const string NovyxCertificate = "novyx-certificate";
}
