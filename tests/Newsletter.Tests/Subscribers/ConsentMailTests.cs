using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;

namespace Newsletter.Tests.Subscribers;

/// <summary>The confirmation and welcome mails as the SMTP peer receives them after a sign-up.</summary>
public sealed class ConsentMailTests(ConsentMailTests.SignedApp app) : IClassFixture<ConsentMailTests.SignedApp>
{
    [Fact]
    public async Task ConfirmationMailIsTheBrandedTemplateWithATextPartAndADkimSignature()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/subscribe", new { email = "ada@example.com", name = "Ada Byron", list = list.Slug });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mail = await app.MailToAsync("ada@example.com", "Confirm");

        var options = app.Services.GetRequiredService<IOptions<NewsletterOptions>>().Value;
        Assert.Equal($"Confirm your subscription to {list.Name}", mail.Subject);
        Assert.Equal(new MailboxAddress(options.Sender.Name, options.Sender.Address), mail.From.Mailboxes.Single());
        // The name came from an anonymous form: a mail we sign carries no stranger's words (issue 21).
        Assert.Equal("ada@example.com", mail.To.Mailboxes.Single().Address);
        Assert.True(string.IsNullOrEmpty(mail.To.Mailboxes.Single().Name));
        Assert.DoesNotContain("Ada Byron", mail.HtmlBody + mail.TextBody);
        AssertTextThenHtml(mail);
        var link = SubscribersTestApp.LinkIn(mail, "/subscribe/confirm");
        Assert.Contains($"class=\"button\" href=\"{options.PublicUrl.TrimEnd('/')}{link}\"", mail.HtmlBody);
        AssertBranded(mail, options);
        Assert.Contains("Confirm your subscription", mail.TextBody);
        // Not on the list yet: nothing to leave.
        Assert.Null(mail.Headers["List-Unsubscribe"]);
        Assert.DoesNotContain("/unsubscribe", mail.HtmlBody);
        Assert.True(await app.Key.VerifiesAsync(mail), "the confirmation is not DKIM-signed by our key");
    }

    [Fact]
    public async Task WelcomeMailIsTheBrandedTemplateWithListLinksAndADkimSignature()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/subscribe", new { email = "grace@example.com", name = "Grace", list = list.Slug });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mail = await app.MailToAsync("grace@example.com", "Welcome");

        var options = app.Services.GetRequiredService<IOptions<NewsletterOptions>>().Value;
        Assert.Equal($"Welcome to {list.Name}", mail.Subject);
        AssertTextThenHtml(mail);
        AssertBranded(mail, options);
        Assert.Contains("Hi Grace, your subscription is confirmed.", mail.HtmlBody);
        Assert.Contains("Hi Grace, your subscription is confirmed.", mail.TextBody);
        var unsubscribe = SubscribersTestApp.LinkIn(mail, "/unsubscribe");
        Assert.Equal($"<{options.PublicUrl.TrimEnd('/')}{unsubscribe}>", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Contains(WebUtility.HtmlEncode(SubscribersTestApp.LinkIn(mail, "/preferences")), mail.HtmlBody);
        Assert.Contains($"href=\"{options.PublicUrl.TrimEnd('/')}/archive\"", mail.HtmlBody);
        Assert.True(await app.Key.VerifiesAsync(mail), "the welcome is not DKIM-signed by our key");
        var subscriberId = await app.SubscriberIdAsync("grace@example.com");
        Assert.True(app.Services.GetRequiredService<SubscriptionTokens>().TryRead(unsubscribe.Split("token=")[1], TokenPurpose.Unsubscribe, out var token));
        Assert.Equal((subscriberId, list.Id), (token.SubscriberId, token.ListId));
    }

    private static void AssertTextThenHtml(MimeMessage mail)
    {
        var body = Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Equal(["text/plain", "text/html"], body.Select(part => part.ContentType.MimeType));
        Assert.DoesNotContain("{{", mail.HtmlBody);
        Assert.DoesNotContain("{{", mail.TextBody);
    }

    /// <summary>The layout: preheader, the newsletter's name on top, why and the postal address in the footer.</summary>
    private static void AssertBranded(MimeMessage mail, NewsletterOptions options)
    {
        Assert.Contains("class=\"preheader\"", mail.HtmlBody);
        Assert.Contains($"<p class=\"list-name\"", mail.HtmlBody);
        Assert.Contains(WebUtility.HtmlEncode(options.Name), mail.HtmlBody);
        Assert.Contains(WebUtility.HtmlEncode(options.Sender.PostalAddress), mail.HtmlBody);
        Assert.Contains(options.Sender.PostalAddress, mail.TextBody);
    }

    /// <summary>The subscriber app with DKIM on.</summary>
    public sealed class SignedApp : SubscribersTestApp, IDisposable
    {
        public TestDkimKey Key { get; } = new();

        protected override IEnumerable<KeyValuePair<string, string?>> Settings => base.Settings.Concat(Key.Settings);

        public void Dispose() => Key.Dispose();
    }
}
