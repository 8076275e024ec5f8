using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Newsletter.Operations;
using Scalar.AspNetCore;

namespace Newsletter.Api;

/// <summary>
/// The JSON API under <c>/api/v1</c>: API keys as bearer tokens, a rate limit per key, bodies up to
/// <see cref="MaxBodyBytes"/>, problem details for every error, and its OpenAPI document at <c>/openapi/v1.json</c>
/// with an interactive reference for signed-in admins at <c>/admin/api/</c>.
/// </summary>
public static class ApiSetup
{
    /// <summary>A request body's limit: a batch of 1,000 subscribers or an issue's Markdown stays well below it.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public const string Prefix = "/api/v1";

    /// <summary>The interactive reference, for signed-in admins.</summary>
    public const string ReferencePath = "/admin/api";

    private const string ReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src * data:; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string ReaderPolicy = "api-reader";
    private const string WriterPolicy = "api-writer";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<IdempotencyStore>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ReaderPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(WriterPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthentication.WriterClaim));
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, ApiRateLimit>(ApiRateLimit.Name));
        services.AddOpenApi("v1", openApi =>
        {
            openApi.ShouldInclude = endpoint => endpoint.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer(ApiDocument.DescribeAsync);
        });
        return services;
    }

    public static WebApplication MapApi(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Prefix), api => api.Use(GuardAsync));
        var all = app.MapGroup(Prefix).RequireRateLimiting(ApiRateLimit.Name).DisableAntiforgery().WithTags("api");
        var read = all.MapGroup("").RequireAuthorization(ReaderPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        var write = all.MapGroup("").RequireAuthorization(WriterPolicy).AddEndpointFilter(ApiWrites.RunOnceAsync)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        ListsApi.Map(read, write);
        IssuesApi.Map(read, write);
        SendsApi.Map(read, write);
        SubscribersApi.Map(read, write);
        SuppressionsApi.Map(read, write);

        app.MapOpenApi("/openapi/{documentName}.json");
        // Scalar's page starts itself with one inline script; the page is ours and admins' only, so it alone may run one.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(ReferencePath), reference => reference.Use((http, next) =>
        {
            http.Response.Headers.ContentSecurityPolicy = ReferencePolicy;
            return next(http);
        }));
        app.MapScalarApiReference(ReferencePath, scalar => scalar.WithTitle("Newsletter API").DisableDefaultFonts()
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")).RequireAdmin();
        return app;
    }

    // Bodies are capped before anything reads them, kept for the idempotency hash when a key is given, and an error
    // that ASP.NET answered with no body (a body too large or not JSON) still gets its problem details.
    private static async Task GuardAsync(HttpContext http, RequestDelegate next)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxBodyBytes;
        if (http.Request.Headers.ContainsKey(ApiWrites.IdempotencyHeader))
            http.Request.EnableBuffering();
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            await TooLarge().ExecuteAsync(http);
            return;
        }
        await next(http);
        if (!http.Response.HasStarted && http.Response.StatusCode >= 400 && http.Response.ContentType is null)
            await (http.Response.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => TooLarge(),
                StatusCodes.Status400BadRequest => ApiProblems.Problem(StatusCodes.Status400BadRequest, "Unreadable request",
                    "The body or a parameter could not be read: send JSON as the OpenAPI document describes it."),
                var status => Results.Problem(statusCode: status),
            }).ExecuteAsync(http);
    }

    private static IResult TooLarge() => ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "Request too large",
        $"A request body may be up to {MaxBodyBytes / 1024 / 1024} MB; send a large batch as several requests.");
}
