namespace Traces.Client.Vendors.StateBase;

/// <summary>Options of <see cref="StateBaseClient"/>: base URL (default <c>https://api.statebase.org</c>) and an <c>sb_</c> key.</summary>
public sealed class StateBaseClientOptions : VendorClientOptions
{
    /// <summary>StateBase's API (docs api-reference/introduction.mdx; the official SDKs' default).</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.statebase.org");

    /// <summary>Read when <see cref="VendorClientOptions.BaseUrl"/> is unset.</summary>
    public const string BaseUrlEnvironmentVariable = "STATEBASE_API_URL";

    /// <summary>Read when <see cref="VendorClientOptions.ApiKey"/> is unset (the variable StateBase's docs recommend).</summary>
    public const string ApiKeyEnvironmentVariable = "STATEBASE_API_KEY";

    private protected override string BaseUrlEnvironmentVariableName => BaseUrlEnvironmentVariable;

    private protected override string ApiKeyEnvironmentVariableName => ApiKeyEnvironmentVariable;

    private protected override Uri DefaultBaseUrlValue => DefaultBaseUrl;

    private protected override string VendorName => "StateBase";
}
