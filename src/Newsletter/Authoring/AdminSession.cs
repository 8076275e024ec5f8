using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Newsletter.Operations;

namespace Newsletter.Authoring;

/// <summary>
/// Who is looking at an author page, and the anti-forgery field every form of the page carries. Ops see
/// every page with its forms disabled; their posts are refused by the admin policy anyway.
/// </summary>
public sealed record AdminSession(string User, bool CanChange, string FormField, string FormToken)
{
    public static AdminSession Of(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return new AdminSession(context.User.Identity?.Name ?? "", context.User.IsInRole(Roles.Admin), tokens.FormFieldName, tokens.RequestToken!);
    }
}
