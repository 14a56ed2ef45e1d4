using Microsoft.OpenApi;

namespace Traces.LocalServer.Hosting;

/// <summary>Declares the two ways to send an API key (docs/api.md "Authentication") in the OpenAPI document.</summary>
internal static class OpenApiSecurity
{
    public static void Describe(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "x-api-key",
            Description = "The tenant's API key.",
        };
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as a bearer token.",
        };

        // Every operation needs a key except the public-key endpoint.
        foreach (var (path, item) in document.Paths)
        {
            if (path == "/v1/traces/public-key" || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] },
                ];
            }
        }
    }
}
