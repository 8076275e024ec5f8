using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Configuration;
using Newsletter.Pages;

namespace Newsletter.Operations;

/// <summary>Cookie sign-in for operators, and the policies that guard the dashboard and the admin UI.</summary>
public static class OperatorAuthentication
{
    private const string DashboardPolicy = "operators";
    private const string AdminPolicy = "admins";

    public static IServiceCollection AddOperatorAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<OperatorCredentials>();
        services.AddAntiforgery();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/login";
                cookie.AccessDeniedPath = "/login";
                cookie.Cookie.Name = "newsletter.operator";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardPolicy, policy => policy.RequireRole(Roles.Admin, Roles.Ops))
            .AddPolicy(AdminPolicy, policy => policy.RequireRole(Roles.Admin));
        return services;
    }

    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(DashboardPolicy);

    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AdminPolicy);

    internal static string DashboardPolicyName => DashboardPolicy;

    public static IEndpointRouteBuilder MapOperatorLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
            LoginForm(context, antiforgery, returnUrl, error: null, StatusCodes.Status200OK));

        endpoints.MapPost("/login", async (HttpContext context, IAntiforgery antiforgery, OperatorCredentials credentials) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
                return PageResults.Message(StatusCodes.Status400BadRequest, "Sign in",
                    "The form expired or did not come from this site; reload the login page.", "/login", "Back to sign in");

            var form = await context.Request.ReadFormAsync();
            var returnUrl = SafeReturnUrl(form["returnUrl"]);
            var user = form["user"].ToString();
            var role = credentials.RoleOf(user, form["password"].ToString());
            if (role is null)
                return LoginForm(context, antiforgery, returnUrl, "Unknown user or wrong password.", StatusCodes.Status401Unauthorized);

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, role)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            return Results.LocalRedirect(returnUrl);
        }).DisableAntiforgery();

        endpoints.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync();
            return Results.LocalRedirect("/login");
        }).RequireOperator();

        return endpoints;
    }

    private static IResult LoginForm(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return PageResults.Page<LoginPage>(status, new
        {
            AntiforgeryField = tokens.FormFieldName,
            AntiforgeryToken = tokens.RequestToken!,
            ReturnUrl = SafeReturnUrl(returnUrl),
            Error = error,
        });
    }

    // Only same-site paths: an open redirect after login would be a phishing tool.
    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/hangfire";
}
