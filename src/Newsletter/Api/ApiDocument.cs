using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Newsletter.Api;

/// <summary>What the OpenAPI document says about the API as a whole: its limits and its one security scheme.</summary>
public static class ApiDocument
{
    public static Task DescribeAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken = default)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Newsletter API",
            Version = "v1",
            Description =
                "Every request carries an API key as 'Authorization: Bearer nl_…' (newsletter api-keys create NAME). " +
                "Read-only keys may only GET. Each key may make Newsletter:Api:RequestsPerMinute requests a minute (600 by default); " +
                $"over that, a 429 with Retry-After. Request bodies are limited to {ApiSetup.MaxBodyBytes / 1024 / 1024} MB. " +
                "Writes accept an Idempotency-Key header: the same key and request within 24 hours replays the first answer. " +
                "Errors are RFC 9457 problem details; a validation problem names each field in 'errors'. Lists are paged by cursor.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthentication.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key made by 'newsletter api-keys create'.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyAuthentication.SchemeName, document)] = [] });
        return Task.CompletedTask;
    }
}
