using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Traces.Client.Vendors.StateBase;

/// <summary>
/// Reads StateBase trace webhooks. StateBase signs a delivery with HMAC-SHA256 over the raw payload under the
/// endpoint's secret, hex-encoded (docs api-reference/introduction.mdx, Verifying Webhooks); the docs do not name the
/// header that carries it, so the caller passes the value.
/// </summary>
public static class StateBaseWebhooks
{
    /// <summary>Checks the signature in constant time. Check it before trusting <see cref="ParseTraceEvent"/>'s result.</summary>
    /// <param name="payload">The request body's bytes, as received.</param>
    /// <param name="signatureHex">The signature (hex, either case).</param>
    /// <param name="secret">The endpoint's signing secret.</param>
    /// <returns>Whether the signature matches.</returns>
    public static bool VerifySignature(ReadOnlySpan<byte> payload, string signatureHex, string secret)
    {
        ArgumentNullException.ThrowIfNull(signatureHex);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        byte[] given;
        try
        {
            given = Convert.FromHexString(signatureHex.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Reads a <c>trace.created</c>, <c>trace.rollback</c> or <c>trace.error</c> delivery.</summary>
    /// <param name="payload">The request body's bytes.</param>
    /// <returns>The event.</returns>
    /// <exception cref="FormatException">The payload is not a JSON webhook event, or not a trace event.</exception>
    public static StateBaseTraceWebhookEvent ParseTraceEvent(ReadOnlySpan<byte> payload)
    {
        StateBaseTraceWebhookEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(payload, VendorJsonContext.Default.StateBaseTraceWebhookEvent);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Not a StateBase webhook event: {ex.Message}", ex);
        }

        if (parsed is null || parsed.Type is not (StateBaseWebhookEventTypes.TraceCreated or StateBaseWebhookEventTypes.TraceRollback or StateBaseWebhookEventTypes.TraceError))
        {
            throw new FormatException($"Not a trace webhook event: type '{parsed?.Type}'.");
        }

        return parsed;
    }
}
