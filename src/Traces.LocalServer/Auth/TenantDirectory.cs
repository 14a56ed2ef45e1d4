using System.Security.Cryptography;
using System.Text;

namespace Traces.LocalServer.Auth;

/// <summary>The authenticated caller: its tenant and a non-secret id of its API key (used to scope idempotency and rate limits).</summary>
internal sealed record Caller(string TenantId, string KeyId)
{
    /// <summary>
    /// The key's text up to and including its last <c>_</c> within the first 16 characters (<c>sk_live_</c>), or empty:
    /// what <c>GET /v1/me</c> shows, never more of the secret (docs/api.md).
    /// </summary>
    public string KeyPrefix { get; init; } = "";

    public static string PrefixOf(string apiKey)
    {
        var end = apiKey.AsSpan(0, Math.Min(16, apiKey.Length)).LastIndexOf('_');
        return end < 0 ? "" : apiKey[..(end + 1)];
    }
}

/// <summary>
/// API keys and their tenants. Keys are held only as SHA-256 hashes: lookups never compare secrets character by
/// character, and nothing derived from a key that is logged or stored (idempotency scope, rate-limit partition)
/// reveals it.
/// </summary>
internal sealed class TenantDirectory
{
    private readonly Dictionary<string, Caller> _byHash = new(StringComparer.Ordinal);

    public TenantDirectory(IEnumerable<(string TenantId, string ApiKey)> keys)
    {
        foreach (var (tenantId, apiKey) in keys)
        {
            var hash = Hash(apiKey);
            _byHash[hash] = new Caller(tenantId, "key_" + hash[..16]) { KeyPrefix = Caller.PrefixOf(apiKey) };
        }
    }

    public Caller? Find(string apiKey) => apiKey.Length == 0 ? null : _byHash.GetValueOrDefault(Hash(apiKey));

    private static string Hash(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
}
