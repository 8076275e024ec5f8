using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Newsletter.Api;

/// <summary>
/// <c>Authorization: Bearer nl_…</c> for <c>/api/v1</c>: a live key signs the request in as the key's name; a
/// missing or unknown key gets a 401, a read-only key on a write a 403, both as problem details.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiKeys keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The claim of a key that may write, and of every key its id.</summary>
    public const string WriterClaim = "api_writer";
    public const string KeyIdClaim = "api_key_id";

    private const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var caller = await keys.CheckAsync(header[Bearer.Length..].Trim(), Context.RequestAborted);
        if (caller is null)
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, caller.Name),
            new(KeyIdClaim, caller.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (!caller.ReadOnly)
            claims.Add(new Claim(WriterClaim, "true"));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "API key needed",
            "Send a live key as 'Authorization: Bearer nl_…' (newsletter api-keys create NAME makes one).").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, "Read-only key",
            "This key is read-only: it may only GET. Nothing was changed.").ExecuteAsync(Context);
}
