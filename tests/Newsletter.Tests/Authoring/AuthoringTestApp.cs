using System.Net;
using System.Text.RegularExpressions;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Sending;

namespace Newsletter.Tests.Authoring;

/// <summary>The app with sending helpers, and clients signed in as admin and as ops that post the pages' own forms.</summary>
public sealed partial class AuthoringTestApp : SendingTestApp
{
    // Each test signs in afresh, more often than the sign-in limit allows one client a minute.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. base.Settings,
        new("Newsletter:Admin:LoginAttemptsPerMinute", "1000"),
        new("Newsletter:Admin:LoginAttemptsPerUserPerMinute", "1000"),
    ];

    public async Task<HttpClient> SignedInAsync(string user, string password)
    {
        var client = CreateClient();
        var login = await LogInAsync(client, user, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }

    public Task<HttpClient> AdminAsync() => SignedInAsync(AdminUser, AdminPassword);

    public Task<HttpClient> OpsAsync() => SignedInAsync(OpsUser, OpsPassword);

    /// <summary>The anti-forgery field of the page at <paramref name="page"/>, as its forms carry it.</summary>
    public static async Task<KeyValuePair<string, string>> FormTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var field = AntiforgeryField().Match(html);
        Assert.True(field.Success, $"{page} has no anti-forgery field");
        return new(field.Groups["name"].Value, WebUtility.HtmlDecode(field.Groups["value"].Value));
    }

    /// <summary>Posts a form the way the page at <paramref name="page"/> would, with its token unless told otherwise.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string action,
        Dictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken)
        {
            var token = await FormTokenAsync(client, page);
            form[token.Key] = token.Value;
        }
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    /// <summary>An issue's text with its own slug, so tests sharing the database do not collide.</summary>
    public static string IssueText(string slug, string title = "A Small Test Issue", string intro = "Hi {{name|there}},") => $"""
        ---
        title: "{title}"
        date: 2026-12-03
        slug: {slug}
        subject: "Notes: {title}"
        ---

        {intro}

        This week, one story.

        ## A story worth reading

        [Read it](https://example.com/story)

        > A quoted passage that carries the argument.

        → Note: and what I make of it.
        """;

    public static string NewSlug() => $"t-{Guid.NewGuid():N}"[..14];

    /// <summary>The issue id in an editor address: <c>/admin/issues/42</c>.</summary>
    public static long IdOf(Uri location) => long.Parse(IssueAddress().Match(location.OriginalString).Groups[1].Value);

    [GeneratedRegex(@"^/admin/issues/(\d+)")]
    private static partial Regex IssueAddress();
}
