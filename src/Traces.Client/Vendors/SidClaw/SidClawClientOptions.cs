namespace Traces.Client.Vendors.SidClaw;

/// <summary>
/// Options of <see cref="SidClawClient"/>: base URL (default <c>https://api.sidclaw.com</c>; a self-hosted
/// <c>sidclawhq/platform</c> API listens on port 4000) and an API key (<c>ai_…</c>).
/// </summary>
public sealed class SidClawClientOptions : VendorClientOptions
{
    /// <summary>SidClaw's hosted API (packages/sdk sidclaw-mcp-proxy default).</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.sidclaw.com");

    /// <summary>Read when <see cref="VendorClientOptions.BaseUrl"/> is unset (the SidClaw SDK's variable).</summary>
    public const string BaseUrlEnvironmentVariable = "SIDCLAW_API_URL";

    /// <summary>Read when <see cref="VendorClientOptions.ApiKey"/> is unset (the SidClaw SDK's variable).</summary>
    public const string ApiKeyEnvironmentVariable = "SIDCLAW_API_KEY";

    private protected override string BaseUrlEnvironmentVariableName => BaseUrlEnvironmentVariable;

    private protected override string ApiKeyEnvironmentVariableName => ApiKeyEnvironmentVariable;

    private protected override Uri DefaultBaseUrlValue => DefaultBaseUrl;

    private protected override string VendorName => "SidClaw";
}
