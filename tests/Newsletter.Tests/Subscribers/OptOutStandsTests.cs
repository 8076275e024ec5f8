using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Subscribers;

namespace Newsletter.Tests.Subscribers;

/// <summary>
/// Issue 21, finding 1: once someone leaves a list, no form post, housekeeping run or import brings them
/// back; only their own confirmation of a new sign-up does. "Unsubscribe from everything" is for good.
/// </summary>
public sealed class OptOutStandsTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    [Fact]
    public async Task AFormPostThenHousekeepingThenAConfirmedImportLeaveTheOptOutStanding()
    {
        var (list, email) = await OptedOutAsync();
        using var client = app.CreateClient();

        var posted = await SignUpAsync(client, email, list.Slug);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));

        // The pending request grows old, as an abandoned one would; housekeeping must not take the row with it.
        await app.ScalarAsync<int?>("UPDATE subscriptions SET updated_at = now() - interval '400 days', " +
            "signup_requested_at = now() - interval '400 days' WHERE list_id = $1", list.Id);
        await app.Services.GetRequiredService<PurgeUnconfirmedJob>().RunAsync();
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));

        var summary = await app.Services.GetRequiredService<SubscriberImporter>().ImportAsync(
            new MemoryStream(Encoding.UTF8.GetBytes($"email\n{email}\n")), list.Slug, confirmed: true, _ => { });
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
        Assert.Equal(1, summary.Suppressed);
    }

    [Fact]
    public async Task OnlyConfirmingANewSignUpFromTheMailEndsAnOptOut()
    {
        var (list, email) = await OptedOutAsync();
        var subscriberId = await app.SubscriberIdAsync(email);
        using var client = app.CreateClient();
        // A link mailed before the opt-out (its expiry says when it was made) must not undo it.
        var hours = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Newsletter.Configuration.SubscribersOptions>>()
            .Value.ConfirmationLinkHours;
        var oldLink = new Uri(app.Links.ConfirmUrl(subscriberId, list.Id, DateTimeOffset.UtcNow.AddHours(hours - 1))).PathAndQuery;

        await SignUpAsync(client, email, list.Slug);
        var link = SubscribersTestApp.LinkIn(await app.MailToAsync(email, "Confirm"), "/subscribe/confirm");
        var old = await client.PostAsync(oldLink, null);
        Assert.Equal(HttpStatusCode.BadRequest, old.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));

        Assert.Contains("Yes, subscribe me", await client.GetStringAsync(link));
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
        var confirmed = await client.PostAsync(link, null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("confirmed", await app.StatusAsync(email, list.Id));
    }

    [Fact]
    public async Task UnsubscribingFromEverythingIsNeverLiftedByAFormOrAConfirmationLink()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        var email = $"everything-{Guid.NewGuid():N}@example.com";
        var subscriberId = (await app.Store.SubscribeAsync(list, email, "", new ConsentContext("test"))).SubscriberId!.Value;
        // A confirmation link still unused when the person asked never to hear from us again.
        var pendingLink = new Uri(app.Links.ConfirmUrl(subscriberId, list.Id, DateTimeOffset.UtcNow.AddHours(1))).PathAndQuery;
        using var client = app.CreateClient();
        await client.PostAsync(new Uri(app.Links.UnsubscribeUrl(subscriberId, list.Id)).PathAndQuery,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["scope"] = "all" }));

        await SignUpAsync(client, email, list.Slug);
        var confirm = await client.PostAsync(pendingLink, null);
        await Task.Delay(1500);

        Assert.Equal(HttpStatusCode.BadRequest, confirm.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
        Assert.Equal("unsubscribed_all", await app.ScalarAsync<string>("SELECT reason FROM suppressions WHERE email_lower = lower($1)", email));
        Assert.Equal(0, app.MailCount(email));
    }

    /// <summary>A confirmed reader of a fresh list who then left it with the one-click link.</summary>
    private async Task<(MailingList List, string Email)> OptedOutAsync()
    {
        // Single opt-in: confirmed at once, and still only a confirmed new sign-up may bring them back.
        var list = await app.CreateListAsync(doubleOptIn: false);
        var email = $"left-{Guid.NewGuid():N}@example.com";
        var subscriberId = (await app.Store.SubscribeAsync(list, email, "", new ConsentContext("test"))).SubscriberId!.Value;
        using var client = app.CreateClient();
        var left = await client.PostAsync(new Uri(app.Links.OneClickUnsubscribeUrl(subscriberId, list.Id)).PathAndQuery,
            new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, left.StatusCode);
        Assert.Equal("unsubscribed", await app.StatusAsync(email, list.Id));
        return (list, email);
    }

    private static Task<HttpResponseMessage> SignUpAsync(HttpClient client, string email, string list) =>
        client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["list"] = list }));
}
