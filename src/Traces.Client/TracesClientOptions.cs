namespace Traces.Client;

/// <summary>How the API key is sent (docs/api.md, Authentication).</summary>
public enum TracesAuthHeaderStyle
{
    /// <summary><c>x-api-key: &lt;key&gt;</c> (the default; Invoance style).</summary>
    ApiKeyHeader = 0,

    /// <summary><c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    Bearer = 1,
}

/// <summary>
/// Everything <see cref="TracesClient"/> needs: endpoint, credential, auth header style, retries, timeouts and seal
/// polling.
/// </summary>
/// <remarks>
/// <para><b>Timeouts nest.</b> <see cref="AttemptTimeout"/> bounds one HTTP attempt; <see cref="TotalTimeout"/> bounds one
/// call including every retry and retry delay (so it must be at least <see cref="AttemptTimeout"/>; with the defaults,
/// 10 s per attempt and 30 s in total, up to three attempts fit). Seal polling issues one call per poll, each bounded
/// by <see cref="TotalTimeout"/>, and <see cref="SealTimeout"/> bounds the whole wait (so it must be at least
/// <see cref="TotalTimeout"/>). A timeout surfaces as a <see cref="Errors.TracesApiException"/> with status 0 and code
/// <c>timeout</c>; cancelling the caller's token surfaces as <see cref="OperationCanceledException"/>.</para>
/// <para><b>Retries are safe by construction.</b> GET, PUT, DELETE, and POSTs that carry an <c>Idempotency-Key</c>, are
/// retried on 408, 429, 5xx, network failures and attempt timeouts, honouring <c>Retry-After</c>; a wait longer than
/// <see cref="MaxRetryDelay"/> or than what is left of <see cref="TotalTimeout"/> ends the call at once with the
/// server's answer (<see cref="Errors.TracesRateLimitedException.RetryAfter"/> for a 429). A POST without a key is
/// never retried.</para>
/// </remarks>
public sealed class TracesClientOptions
{
    /// <summary>Environment variable read when <see cref="Endpoint"/> is not set.</summary>
    public const string EndpointEnvironmentVariable = "TRACES_ENDPOINT";

    /// <summary>Environment variable read when <see cref="ApiKey"/> is not set.</summary>
    public const string ApiKeyEnvironmentVariable = "TRACES_API_KEY";

    /// <summary>
    /// The service's base address, an absolute http(s) URI such as <c>https://traces.example.com</c>. Falls back to
    /// <c>TRACES_ENDPOINT</c>; anything else (<c>127.0.0.1:5090</c> without a scheme, a relative URI) is an
    /// <see cref="ArgumentException"/> when the client is created.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// The API key. Falls back to <c>TRACES_API_KEY</c>. Never logged. Printable ASCII without spaces: a key holding a
    /// CR, LF or any other character a header cannot carry is refused when the client is created, never sent.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// How the key is sent; <see cref="TracesAuthHeaderStyle.Bearer"/> by default: what all of Invoance's official SDKs
    /// send (tests/vectors/invoance/FACTS.md), and what the local server accepts as well as <c>x-api-key</c>.
    /// </summary>
    public TracesAuthHeaderStyle AuthHeaderStyle { get; set; } = TracesAuthHeaderStyle.Bearer;

    /// <summary>Attach a fresh <c>Idempotency-Key</c> to every POST that has none (default <c>true</c>). When off, keyless POSTs are sent exactly once.</summary>
    public bool AutoIdempotencyKeys { get; set; } = true;

    /// <summary>Maximum retries after the first attempt (default 3; 0 disables retries).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay of the exponential, jittered retry backoff (default 1 s).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Upper bound of any retry delay (default 30 s). A <c>Retry-After</c> longer than this is not waited for: the call
    /// fails at once with <see cref="Errors.TracesRateLimitedException"/> (429) carrying the server's wait.
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one HTTP attempt (default 10 s). Must not exceed <see cref="TotalTimeout"/>.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one call including retries and their delays (default 30 s).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First delay between seal polls when the server gives no <c>Retry-After</c> (default 1 s); it doubles up to <see cref="MaxSealPollingInterval"/>.</summary>
    public TimeSpan SealPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest delay between seal polls (default 10 s).</summary>
    public TimeSpan MaxSealPollingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Overall bound on waiting for a seal (default 5 min). Must be at least <see cref="TotalTimeout"/>.</summary>
    public TimeSpan SealTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Whether the server replays a <c>POST</c> that carries an <c>Idempotency-Key</c> (the Traces API and Invoance do;
    /// Novyx, SidClaw, Zen-mesh and StateBase's trace endpoints do not). When false, no <c>POST</c> is retried,
    /// whatever headers it carries.
    /// </summary>
    internal bool HonoursIdempotencyKeys { get; init; } = true;

    /// <summary>A copy, with the environment fallbacks applied and the values checked.</summary>
    internal TracesClientOptions Resolve()
    {
        var copy = (TracesClientOptions)MemberwiseClone();
        if (copy.Endpoint is null)
        {
            var env = Environment.GetEnvironmentVariable(EndpointEnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(env))
            {
                copy.Endpoint = ConnectionSettings.ParseEndpointVariable(env);
            }
        }

        var keyFromEnvironment = string.IsNullOrEmpty(copy.ApiKey);
        if (keyFromEnvironment)
        {
            copy.ApiKey = Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable);
        }

        if (copy.Endpoint is null)
        {
            throw new InvalidOperationException(
                $"TracesClientOptions.Endpoint is not set and {EndpointEnvironmentVariable} is empty; set an absolute endpoint.");
        }

        ConnectionSettings.CheckEndpoint(copy.Endpoint);
        if (!string.IsNullOrEmpty(copy.ApiKey))
        {
            ConnectionSettings.CheckApiKey(copy.ApiKey, keyFromEnvironment);
        }

        if (copy.MaxRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRetries), copy.MaxRetries, "MaxRetries must be 0 or more.");
        }

        Positive(copy.RetryDelay, nameof(RetryDelay));
        Positive(copy.MaxRetryDelay, nameof(MaxRetryDelay));
        Positive(copy.AttemptTimeout, nameof(AttemptTimeout));
        Positive(copy.TotalTimeout, nameof(TotalTimeout));
        Positive(copy.SealPollingInterval, nameof(SealPollingInterval));
        Positive(copy.MaxSealPollingInterval, nameof(MaxSealPollingInterval));
        Positive(copy.SealTimeout, nameof(SealTimeout));
        if (copy.AttemptTimeout > copy.TotalTimeout)
        {
            throw new ArgumentException("AttemptTimeout must not exceed TotalTimeout.", nameof(AttemptTimeout));
        }

        if (copy.SealTimeout < copy.TotalTimeout)
        {
            throw new ArgumentException("SealTimeout must be at least TotalTimeout.", nameof(SealTimeout));
        }

        if (copy.MaxSealPollingInterval < copy.SealPollingInterval)
        {
            throw new ArgumentException("MaxSealPollingInterval must be at least SealPollingInterval.", nameof(MaxSealPollingInterval));
        }

        return copy;
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
