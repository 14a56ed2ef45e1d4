namespace Traces.LocalServer.Infrastructure;

/// <summary>
/// Gives every response an <c>x-request-id</c> (docs/api.md "Request ids"): the client's own when it is 1–128
/// printable ASCII characters, otherwise a fresh <c>req_</c> id.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "x-request-id";
    private const string ItemKey = "traces.request_id";

    public Task InvokeAsync(HttpContext context)
    {
        var supplied = context.Request.Headers[HeaderName].ToString();
        var id = IsAcceptable(supplied) ? supplied : Ids.NewRequestId();
        context.Items[ItemKey] = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = id;
            return Task.CompletedTask;
        });
        return next(context);
    }

    public static string Get(HttpContext context) => context.Items[ItemKey] as string ?? "req_unknown";

    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => c is >= '!' and <= '~');
}
