namespace Traces.Client.Vendors;

/// <summary>
/// What every vendor client shares: base URL, API key, retries and timeouts. Each vendor's options derive from it
/// with that vendor's default base URL and environment variables. The retry and timeout rules are those of
/// <see cref="TracesClientOptions"/> (docs/resilience.md): idempotent methods are retried on 408, 429, 5xx, network
/// failures and attempt timeouts, honouring <c>Retry-After</c>; a <c>POST</c> is retried only with an
/// <c>Idempotency-Key</c> and only where the vendor honours one (none of the four vendors' trace endpoints does, so
/// their <c>POST</c>s and <c>PATCH</c>es are sent exactly once).
/// </summary>
public abstract class VendorClientOptions
{
    /// <summary>The vendor's base address; unset falls back to the vendor's environment variable, then its public default.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The API key; unset falls back to the vendor's environment variable. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Maximum retries after the first attempt (default 3; 0 disables retries).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay of the exponential, jittered retry backoff (default 1 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of any retry delay, including one asked for by <c>Retry-After</c> (default 30 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one HTTP attempt up to the response headers (default 10 s). Must not exceed <see cref="TotalTimeout"/>.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Timeout of one call including retries and their delays (default 30 s). An export stream is bounded by it up to
    /// its headers; reading the body is bounded by the caller's token only (an export may be 100,000 rows).
    /// </summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The environment variable read when <see cref="BaseUrl"/> is unset.</summary>
    private protected abstract string BaseUrlEnvironmentVariableName { get; }

    /// <summary>The environment variable read when <see cref="ApiKey"/> is unset.</summary>
    private protected abstract string ApiKeyEnvironmentVariableName { get; }

    /// <summary>The vendor's public base address.</summary>
    private protected abstract Uri DefaultBaseUrlValue { get; }

    /// <summary>The vendor's name, for messages.</summary>
    private protected abstract string VendorName { get; }

    /// <summary>A copy with the environment fallbacks applied and the values checked.</summary>
    internal ResolvedVendorOptions Resolve()
    {
        var baseUrl = BaseUrl;
        if (baseUrl is null)
        {
            var env = Environment.GetEnvironmentVariable(BaseUrlEnvironmentVariableName);
            if (!string.IsNullOrWhiteSpace(env))
            {
                if (!Uri.TryCreate(env.Trim(), UriKind.Absolute, out baseUrl))
                {
                    throw new InvalidOperationException($"{BaseUrlEnvironmentVariableName} is not an absolute URL.");
                }
            }
        }

        baseUrl ??= DefaultBaseUrlValue;
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"The {VendorName} base URL must be an absolute http(s) URL.");
        }

        // Relative paths resolve below the base URL's own path (a self-hosted server behind a path prefix).
        if (!baseUrl.AbsolutePath.EndsWith('/'))
        {
            baseUrl = new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath + "/" }.Uri;
        }

        // The key comes from this vendor's variable only: another vendor's key (or TRACES_API_KEY) is never sent here.
        var fromEnvironment = string.IsNullOrEmpty(ApiKey);
        var apiKey = fromEnvironment ? Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariableName) : ApiKey;
        if (string.IsNullOrEmpty(apiKey))
        {
            apiKey = null;
        }
        else
        {
            CheckApiKey(apiKey, fromEnvironment ? ApiKeyEnvironmentVariableName : GetType().Name + ".ApiKey");
        }

        if (MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), MaxRetries, "MaxRetries must be 0 or more.");
        }

        Positive(RetryDelay, nameof(RetryDelay));
        Positive(MaxRetryDelay, nameof(MaxRetryDelay));
        Positive(AttemptTimeout, nameof(AttemptTimeout));
        Positive(TotalTimeout, nameof(TotalTimeout));
        if (AttemptTimeout > TotalTimeout)
        {
            throw new ArgumentException("AttemptTimeout must not exceed TotalTimeout.", nameof(AttemptTimeout));
        }

        return new ResolvedVendorOptions(VendorName, baseUrl, apiKey, MaxRetries, RetryDelay, MaxRetryDelay, AttemptTimeout, TotalTimeout);
    }

    // As ConnectionSettings.CheckApiKey: a CR or LF would end the header (RFC 9110 §5.5), other controls, spaces and
    // non-ASCII are refused or mangled; the message says where, never what the key is.
    private static void CheckApiKey(string apiKey, string source)
    {
        for (var i = 0; i < apiKey.Length; i++)
        {
            if (apiKey[i] is < '!' or > '~')
            {
                throw new ArgumentException(
                    $"{source} holds U+{(int)apiKey[i]:X4} at index {i}, which cannot be sent in an HTTP header; an API key is " +
                    "printable ASCII without spaces or line breaks. Nothing was sent.",
                    nameof(ApiKey));
            }
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}

/// <summary>Checked options with the environment fallbacks applied.</summary>
internal sealed record ResolvedVendorOptions(
    string VendorName,
    Uri BaseUrl,
    string? ApiKey,
    int MaxRetries,
    TimeSpan RetryDelay,
    TimeSpan MaxRetryDelay,
    TimeSpan AttemptTimeout,
    TimeSpan TotalTimeout)
{
    /// <summary>
    /// The shared pipeline's options (authentication, resilience, logging: <c>TracesHttpPipeline</c>).
    /// Automatic idempotency keys are off: no vendor here honours one on its trace endpoints, so a key would make the
    /// retry strategy repeat a POST the vendor would execute twice.
    /// </summary>
    public TracesClientOptions ToPipelineOptions(TracesAuthHeaderStyle authStyle) => new()
    {
        Endpoint = BaseUrl,
        ApiKey = ApiKey,
        AuthHeaderStyle = authStyle,
        AutoIdempotencyKeys = false,
        HonoursIdempotencyKeys = false,
        MaxRetries = MaxRetries,
        RetryDelay = RetryDelay,
        MaxRetryDelay = MaxRetryDelay,
        AttemptTimeout = AttemptTimeout,
        TotalTimeout = TotalTimeout,
        SealTimeout = TotalTimeout > TimeSpan.FromMinutes(5) ? TotalTimeout : TimeSpan.FromMinutes(5),
    };
}
