using System.Security.Cryptography;
using System.Text;
using Traces.LocalServer.Api;
using Traces.LocalServer.Auth;
using Traces.LocalServer.Errors;

namespace Traces.LocalServer.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST (docs/api.md "Idempotency"): the first response is stored, a retry with the same
/// key, method, path and body replays it with <c>Idempotent-Replayed: true</c>, a different request is
/// <c>409 idempotency_key_reused</c> (Invoance's status for a reused key). Error answers (4xx) are stored too; server
/// faults (5xx) are not, so they can be retried.
/// </summary>
/// <remarks>
/// Endpoints that create something record their response inside their own transaction (<see cref="IdempotencyScope"/>),
/// so "created" and "remembered" commit together. Other answers (errors, seal's state change, which is idempotent by
/// itself) are recorded here after the fact. Requests with the same key are serialized in-process, so two concurrent
/// retries cannot both execute.
/// </remarks>
internal sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private static readonly SemaphoreSlim[] s_stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task InvokeAsync(HttpContext context)
    {
        var caller = ApiKeyMiddleware.Find(context);
        if (!HttpMethods.IsPost(context.Request.Method) || caller is null
            || !context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > 255 || !key.All(c => c is >= ' ' and <= '~'))
        {
            throw ApiException.Validation(HeaderName, "must be 1-255 printable ASCII characters");
        }

        var body = await RequestBody.ReadAsync(context);
        var fingerprint = Fingerprint(context.Request.Method, context.Request.Path.Value ?? "", body);
        var stripe = s_stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(caller.KeyId + "\n" + key) % s_stripes.Length)];
        await stripe.WaitAsync(context.RequestAborted);
        try
        {
            var stored = await store.FindAsync(caller.KeyId, key, context.RequestAborted);
            if (stored is not null)
            {
                if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored.Fingerprint), Encoding.ASCII.GetBytes(fingerprint)))
                {
                    throw new ApiException(409, ErrorCodes.IdempotencyKeyReused, "Idempotency key reused",
                        "This Idempotency-Key was used with a different request (method, path or body).");
                }

                await ReplayAsync(context, stored);
                return;
            }

            var scope = new IdempotencyScope(caller.KeyId, key, fingerprint, time);
            scope.Attach(context);
            var original = context.Response.Body;
            using var capture = new MemoryStream();
            context.Response.Body = capture;
            try
            {
                await next(context);
            }
            catch (ApiException ex)
            {
                // A 4xx answer is the request's result too: store it, so a retry gets the same answer.
                context.Response.Clear();
                await ProblemWriter.WriteAsync(context, ex.Status, ex.Code, ex.Title, ex.Message, ex.Errors);
            }
            finally
            {
                context.Response.Body = original;
            }

            var status = context.Response.StatusCode;
            if (status < 500 && !scope.Recorded)
            {
                await store.SaveAsync(caller.KeyId, key, new StoredResponse(fingerprint, status, context.Response.ContentType,
                    context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null, capture.ToArray()));
            }

            capture.Position = 0;
            await capture.CopyToAsync(original, context.RequestAborted);
        }
        finally
        {
            stripe.Release();
        }
    }

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        var response = context.Response;
        response.StatusCode = stored.Status;
        response.ContentType = stored.ContentType;
        if (stored.Location is not null)
        {
            response.Headers.Location = stored.Location;
        }

        response.Headers[ReplayedHeader] = "true";
        response.ContentLength = stored.Body.Length;
        await response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    private static string Fingerprint(string method, string path, byte[] body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(method.ToUpperInvariant() + "\n" + path + "\n"));
        hash.AppendData(body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
