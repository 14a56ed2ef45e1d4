using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Traces.LocalServer.Auth;
using Traces.LocalServer.Errors;

namespace Traces.LocalServer.Hosting;

/// <summary>
/// Per-API-key fixed-window rate limit (docs/api.md <c>rate_limited</c>). Runs after authentication, so the
/// partition is the caller's key id; unauthenticated requests (public key, OpenAPI) are not limited.
/// </summary>
internal static class RateLimiting
{
    public static void Configure(RateLimiterOptions options, ServerSettings settings)
    {
        var permits = settings.RateLimitPermits;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var caller = ApiKeyMiddleware.Find(context);
            if (permits is null || caller is null)
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            return RateLimitPartition.GetFixedWindowLimiter(caller.KeyId, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits.Value,
                Window = settings.RateLimitWindow,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });

        options.OnRejected = async (rejected, _) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                : Math.Max(1, (int)Math.Ceiling(settings.RateLimitWindow.TotalSeconds));
            rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ProblemWriter.WriteAsync(rejected.HttpContext, 429, ErrorCodes.RateLimited, "Too many requests",
                $"The rate limit for this API key is exceeded; retry after {seconds} s.");
        };
    }
}
