using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Traces.LocalServer.Api;

/// <summary>OpenAPI metadata for endpoints that read their body by hand.</summary>
internal static class OpenApiExtensions
{
    /// <summary>
    /// Documents a JSON request body of type <typeparamref name="T"/> without <c>Accepts</c>: that would make routing
    /// answer 415 to a body sent without <c>Content-Type: application/json</c> (curl -d), which the API accepts.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>The problem responses every endpoint can give (docs/api.md "Errors").</summary>
    public static RouteGroupBuilder ProducesStandardProblems(this RouteGroupBuilder group)
    {
        foreach (var status in new[] { 400, 401, 404, 409, 413, 429, 500 })
        {
            group.ProducesProblem(status, "application/problem+json");
        }

        return group;
    }
}
