using System.Net;

namespace Newsletter.Operations;

/// <summary>The operator login form. Plain HTML: it must work with no script and no assets.</summary>
internal static class LoginPage
{
    public static string Render(string antiforgeryField, string antiforgeryToken, string returnUrl, string? error) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sign in · Newsletter</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 22rem; margin: 4rem auto; padding: 0 1rem; color: #1f2328; }
          label { display: block; margin-top: 1rem; }
          input { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
          button { margin-top: 1.5rem; padding: .6rem 1.2rem; font-size: 1rem; }
          .error { color: #b42318; }
        </style>
        </head>
        <body>
        <h1>Sign in</h1>
        {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
        <form method="post" action="/login">
          <input type="hidden" name="{{WebUtility.HtmlEncode(antiforgeryField)}}" value="{{WebUtility.HtmlEncode(antiforgeryToken)}}">
          <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl)}}">
          <label>User <input name="user" autocomplete="username" required></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
          <button type="submit">Sign in</button>
        </form>
        </body>
        </html>
        """;
}
