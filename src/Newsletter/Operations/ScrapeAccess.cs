using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Newsletter.Configuration;

namespace Newsletter.Operations;

/// <summary>Who may read <c>/metrics</c>: a signed-in operator, or a scraper presenting <c>Metrics:ScrapeToken</c> as a bearer token.</summary>
public sealed class ScrapeAccess(IOptions<MetricsOptions> options, IAuthorizationService authorization)
{
    private const string Bearer = "Bearer ";

    public async Task<bool> AllowsAsync(HttpContext context)
    {
        if (options.Value.ScrapeToken is { } token && PresentedToken(context.Request) is { } presented && Same(presented, token))
            return true;
        return (await authorization.AuthorizeAsync(context.User, OperatorAuthentication.DashboardPolicyName)).Succeeded;
    }

    private static string? PresentedToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : null;
    }

    // Hashed first, then compared in constant time: the time taken tells neither the token's bytes nor its length.
    private static bool Same(string presented, string token) => CryptographicOperations.FixedTimeEquals(
        SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
