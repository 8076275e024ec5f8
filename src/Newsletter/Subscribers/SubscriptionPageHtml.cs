using System.Net;
using System.Text;

namespace Newsletter.Subscribers;

/// <summary>The public subscription pages: plain HTML that works with no script, no assets and no cookies.</summary>
internal static class SubscriptionPageHtml
{
    public static string Message(string title, string message, string? extraHtml = null) =>
        Page(title, $"<p>{Encode(message)}</p>{extraHtml}");

    /// <summary>The hosted sign-up form. <c>website</c> is the honeypot: hidden from people, filled by bots.</summary>
    public static string SignUp(MailingList list) => Page(
        $"Subscribe to {list.Name}",
        $$"""
        {{(list.Description.Length == 0 ? "" : $"<p>{Encode(list.Description)}</p>")}}
        <form method="post" action="/subscribe">
          <input type="hidden" name="list" value="{{Encode(list.Slug)}}">
          <p><label>Email <input name="email" type="email" autocomplete="email" required maxlength="254"></label></p>
          <p><label>Name (optional) <input name="name" autocomplete="name" maxlength="200"></label></p>
          <p class="hp" aria-hidden="true"><label>Website <input name="website" tabindex="-1" autocomplete="off"></label></p>
          <button type="submit">Subscribe</button>
        </form>
        {{(list.DoubleOptIn ? "<p>We will send you a mail with a link to confirm.</p>" : "")}}
        """);

    public static string Unsubscribe(string formAction, string email, string listName, string preferencesHref) => Page(
        "Unsubscribe",
        $"""
        <p>Stop sending <strong>{Encode(listName)}</strong> to <strong>{Encode(email)}</strong>?</p>
        <form method="post" action="{Encode(formAction)}">
          <button type="submit">Unsubscribe from {Encode(listName)}</button>
        </form>
        <form method="post" action="{Encode(formAction)}">
          <input type="hidden" name="scope" value="all">
          <button type="submit" class="secondary">Unsubscribe from everything</button>
        </form>
        <p><a href="{Encode(preferencesHref)}">See all your lists</a></p>
        """);

    public static string Preferences(string email, IEnumerable<(SubscriberSubscription List, string UnsubscribeAction)> lists,
        string? unsubscribeAllAction)
    {
        var rows = new StringBuilder();
        foreach (var (list, action) in lists)
        {
            rows.Append("<li><strong>").Append(Encode(list.Name)).Append("</strong> — ").Append(Encode(Describe(list.Status)));
            if (list.Status != SubscriptionStatus.Unsubscribed)
                rows.Append($"""<form method="post" action="{Encode(action)}"><button type="submit">Unsubscribe</button></form>""");
            rows.Append("</li>\n");
        }
        var all = unsubscribeAllAction is null ? "" : $"""
            <form method="post" action="{Encode(unsubscribeAllAction)}">
              <input type="hidden" name="scope" value="all">
              <button type="submit" class="secondary">Unsubscribe from everything</button>
            </form>
            """;
        return Page("Your lists", $"<p>Lists for <strong>{Encode(email)}</strong>:</p>\n<ul>\n{rows}</ul>\n{all}");
    }

    private static string Describe(string status) => status switch
    {
        SubscriptionStatus.Confirmed => "subscribed",
        SubscriptionStatus.Unconfirmed => "waiting for your confirmation",
        _ => "unsubscribed",
    };

    private static string Encode(string value) => WebUtility.HtmlEncode(value);

    private static string Page(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{Encode(title)}}</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #1f2328; line-height: 1.5; }
          button { margin: .5rem 0; padding: .6rem 1.2rem; font-size: 1rem; }
          button.secondary { background: none; border: 1px solid #888; }
          li form { display: inline; margin-left: .5rem; }
          input { font-size: 1rem; padding: .4rem; }
          .hp { position: absolute; left: -9999px; }
        </style>
        </head>
        <body>
        <h1>{{Encode(title)}}</h1>
        {{body}}
        </body>
        </html>
        """;
}
