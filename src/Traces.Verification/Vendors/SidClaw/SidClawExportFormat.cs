namespace Traces.Verification.Vendors.SidClaw;

/// <summary>The two forms of SidClaw's audit export (<c>GET /api/v1/audit/export?format=json|csv</c>).</summary>
public enum SidClawExportFormat
{
    /// <summary>A bare JSON array of events.</summary>
    Json,

    /// <summary>CSV with a header row, the same columns, RFC 4180 quoting.</summary>
    Csv,
}
