using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
        services.AddSingleton<LoginThrottle>();
        services.AddAntiforgery();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/login";
                cookie.Cookie.Name = "newsletter.operator";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                // A signed-in operator whose role may not do this (ops on an admin action) is refused, not sent
                // back to the sign-in form they have already passed.
                cookie.Events.OnRedirectToAccessDenied = context => PageResults.Message(StatusCodes.Status403Forbidden, "Not allowed",
                    "Your role can look at every page but change nothing; ask an admin.").ExecuteAsync(context.HttpContext);
            });
        // Secure whenever the request came over https (directly or from a configured proxy), and always
        // when the public address is https, so a proxy left out of Newsletter:Proxy cannot strip it.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<NewsletterOptions>>((cookie, newsletter) => cookie.Cookie.SecurePolicy = SecurePolicy(newsletter.Value));
        // The anti-forgery cookie follows the request only: set to Always, ASP.NET throws on every form served
        // over http (a 500 for /login reached directly), and it is worth nothing without the sign-in cookie.
        services.AddOptions<AntiforgeryOptions>().Configure(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
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

        endpoints.MapPost("/login", async (HttpContext context, IAntiforgery antiforgery, OperatorCredentials credentials,
            LoginThrottle throttle, ILoggerFactory loggers) =>
        {
            var log = loggers.CreateLogger(typeof(OperatorAuthentication));
            var client = ClientAddress.Of(context)?.ToString() ?? "unknown";
            // Both limits come before the password hash: a refused attempt must cost microseconds, not PBKDF2.
            if (throttle.TryClient(ClientAddress.Of(context)) is { } clientWait)
                return TooManyAttempts(context, clientWait);
            if (!await antiforgery.IsRequestValidAsync(context))
                return PageResults.Message(StatusCodes.Status400BadRequest, "Sign in",
                    "The form expired or did not come from this site; reload the login page.", "/login", "Back to sign in");

            var form = await context.Request.ReadFormAsync();
            var returnUrl = SafeReturnUrl(form["returnUrl"]);
            var user = form["user"].ToString();
            if (throttle.TryUser(user) is { } userWait)
            {
                log.LogWarning("Sign-in refused for {User} from {Client}: too many attempts for this user", Loggable(user), client);
                return TooManyAttempts(context, userWait);
            }
            var role = credentials.RoleOf(user, form["password"].ToString());
            if (role is null)
            {
                log.LogWarning("Failed sign-in for {User} from {Client}", Loggable(user), client);
                return LoginForm(context, antiforgery, returnUrl, "Unknown user or wrong password.", StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, role)],
                CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(new ClaimsPrincipal(identity));
            log.LogInformation("Signed in {User} ({Role}) from {Client}", user, role, client);
            return Results.LocalRedirect(returnUrl);
        }).DisableAntiforgery();

        endpoints.MapPost("/logout", async (HttpContext context, ILoggerFactory loggers) =>
        {
            await context.SignOutAsync();
            loggers.CreateLogger(typeof(OperatorAuthentication))
                .LogInformation("Signed out {User} from {Client}", context.User.Identity?.Name, ClientAddress.Of(context)?.ToString() ?? "unknown");
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

    private static IResult TooManyAttempts(HttpContext context, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return PageResults.Message(StatusCodes.Status429TooManyRequests, "Too many sign-in attempts",
            $"Too many sign-in attempts. Wait {seconds} seconds, then try again.", "/login", "Back to sign in");
    }

    // A typed user name goes to the log: no line breaks or escapes that could forge a line, no megabytes.
    private static string Loggable(string user)
    {
        var clean = new string(user.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return clean.Length < user.Length ? clean + "…" : clean;
    }

    private static CookieSecurePolicy SecurePolicy(NewsletterOptions options) =>
        options.PublicUrl.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    // Only same-site paths: an open redirect after login would be a phishing tool.
    private static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/hangfire";
}
