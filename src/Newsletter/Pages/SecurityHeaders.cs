using Microsoft.AspNetCore.Builder;

namespace Newsletter.Pages;

/// <summary>
/// Headers on every answer, public pages and admin alike: no MIME sniffing, no framing (clickjacking of
/// the unsubscribe and login buttons), scripts only from this site. Styles may be inline because an
/// issue's web version carries the mail's inlined styles; images may come from anywhere, as in the mail.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src * data:; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        return app;
    }
}
