using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Traces.LocalServer.Api;

/// <summary>
/// A JSON response already serialized to bytes: the exact bytes sent are the bytes an idempotent replay sends.
/// </summary>
internal sealed class JsonResponse(int status, byte[] body, string? location) : IResult
{
    public const string ContentType = "application/json; charset=utf-8";

    public int Status { get; } = status;

    public byte[] Body { get; } = body;

    public string? Location { get; } = location;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        response.ContentLength = Body.Length;
        await response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}

/// <summary>
/// Serializes response DTOs with the API's JSON options (snake_case, relaxed escaping). The metadata comes from the
/// options' resolver chain, whose first link is the source-generated <see cref="ServerJsonContext"/>: no reflection.
/// </summary>
internal sealed class ResponseRenderer(IOptions<JsonOptions> options)
{
    /// <summary>A pre-serialized response (write endpoints: the exact bytes are what an idempotent replay sends).</summary>
    public JsonResponse Render<T>(int status, T value, string? location = null) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>()), location);

    /// <summary>A <c>200</c> JSON result (read endpoints).</summary>
    public IResult Json<T>(T value) => Results.Json(value, TypeInfo<T>());

    /// <summary>The bytes <see cref="Json{T}"/> sends for <paramref name="value"/>.</summary>
    public byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    /// <summary>The metadata <see cref="Json{T}"/> serializes <typeparamref name="T"/> with.</summary>
    public JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>)options.Value.SerializerOptions.GetTypeInfo(typeof(T));
}
