namespace Traces.Client.Vendors.Novyx;

/// <summary>Options of <see cref="NovyxClient"/>: base URL (default <c>https://novyx-ram-api.fly.dev</c>) and an <c>nram_</c> key.</summary>
public sealed class NovyxClientOptions : VendorClientOptions
{
    /// <summary>Novyx's public API (official Python SDK 3.x default).</summary>
    public static readonly Uri DefaultBaseUrl = new("https://novyx-ram-api.fly.dev");

    /// <summary>Read when <see cref="VendorClientOptions.BaseUrl"/> is unset (the official SDKs' variable).</summary>
    public const string BaseUrlEnvironmentVariable = "NOVYX_BASE_URL";

    /// <summary>Read when <see cref="VendorClientOptions.ApiKey"/> is unset (the official SDKs' variable).</summary>
    public const string ApiKeyEnvironmentVariable = "NOVYX_API_KEY";

    private protected override string BaseUrlEnvironmentVariableName => BaseUrlEnvironmentVariable;

    private protected override string ApiKeyEnvironmentVariableName => ApiKeyEnvironmentVariable;

    private protected override Uri DefaultBaseUrlValue => DefaultBaseUrl;

    private protected override string VendorName => "Novyx";
}
