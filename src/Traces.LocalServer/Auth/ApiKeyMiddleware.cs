using Traces.LocalServer.Errors;

namespace Traces.LocalServer.Auth;

/// <summary>
/// Authenticates <c>/v1</c> requests by <c>x-api-key</c> or <c>Authorization: Bearer</c> (docs/api.md
/// "Authentication"). The public-key endpoint and the OpenAPI document are open.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, TenantDirectory tenants)
{
    private const string ItemKey = "traces.caller";

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/v1") || path.Equals("/v1/traces/public-key", StringComparison.Ordinal))
        {
            return next(context);
        }

        var key = ReadKey(context.Request);
        var caller = key is null ? null : tenants.Find(key);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ProblemWriter.WriteAsync(context, 401, ErrorCodes.Unauthorized, "Unauthorized",
                key is null ? "An API key is required (x-api-key or Authorization: Bearer)." : "The API key is not valid.");
        }

        context.Items[ItemKey] = caller;
        return next(context);
    }

    public static Caller? Find(HttpContext context) => context.Items[ItemKey] as Caller;

    public static Caller Get(HttpContext context) =>
        Find(context) ?? throw new InvalidOperationException("The endpoint runs behind ApiKeyMiddleware.");

    private static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers["x-api-key"].ToString();
        if (header.Length > 0)
        {
            return header.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
    }
}
