using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrleansFleet.Hosting.Security;

/// <summary>The security part of the OpenAPI document: the API-key scheme and, per operation, the scope it requires.</summary>
internal static class FleetOpenApiSecurity
{
    public static void Describe(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = $"An API key. Each key has scopes ({string.Join(", ", FleetScopes.All)}; admin holds every scope); each operation names the one it needs. "
                + "A missing or unknown key is 401, a key without the scope 403, a key over its request rate 429. An embedded host without configured keys is open on loopback.",
        };
    }

    public static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiredScope>().LastOrDefault() is not { } required)
        {
            return;
        }

        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [required.Scope] }];
        operation.Description = $"{operation.Description}{(operation.Description is null ? "" : " ")}Needs the '{required.Scope}' scope.";
        Respond(operation, "401", "No API key, or an unknown one.");
        Respond(operation, "403", $"The key lacks the '{required.Scope}' scope.");
        if (Respond(operation, "429", "The key is over its request rate; retry after Retry-After seconds.") is { } tooMany)
        {
            tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>();
            tooMany.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before retrying.",
                Required = true,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            };
        }
    }

    private static OpenApiResponse? Respond(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses?.TryGetValue(status, out var found) == true && found is OpenApiResponse response)
        {
            response.Description = description;
            return response;
        }

        return null;
    }
}
