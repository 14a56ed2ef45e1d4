namespace Traces.Client.Vendors.ZenMesh;

/// <summary>Options of <see cref="ZenMeshClient"/>: base URL (default <c>https://api.zen-mesh.io</c>), API key and tenant.</summary>
public sealed class ZenMeshClientOptions : VendorClientOptions
{
    /// <summary>Zen-mesh's API (seed 003).</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.zen-mesh.io");

    /// <summary>Read when <see cref="VendorClientOptions.BaseUrl"/> is unset.</summary>
    public const string BaseUrlEnvironmentVariable = "ZEN_API_URL";

    /// <summary>Read when <see cref="VendorClientOptions.ApiKey"/> is unset (the variable of Zen-mesh's API examples).</summary>
    public const string ApiKeyEnvironmentVariable = "ZEN_API_KEY";

    /// <summary>Read when <see cref="TenantId"/> is unset (the variable of Zen-mesh's API examples).</summary>
    public const string TenantIdEnvironmentVariable = "ZEN_TENANT_ID";

    /// <summary>The tenant, the <c>{tid}</c> of every path; falls back to <c>ZEN_TENANT_ID</c>.</summary>
    public string? TenantId { get; set; }

    private protected override string BaseUrlEnvironmentVariableName => BaseUrlEnvironmentVariable;

    private protected override string ApiKeyEnvironmentVariableName => ApiKeyEnvironmentVariable;

    private protected override Uri DefaultBaseUrlValue => DefaultBaseUrl;

    private protected override string VendorName => "Zen-mesh";

    internal string? ResolveTenantId() =>
        string.IsNullOrWhiteSpace(TenantId) ? Environment.GetEnvironmentVariable(TenantIdEnvironmentVariable) is { Length: > 0 } env ? env.Trim() : null : TenantId;
}
