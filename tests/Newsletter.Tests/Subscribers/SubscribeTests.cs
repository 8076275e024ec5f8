using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Tests.Subscribers;

public sealed class SubscribeTests(SubscribersTestApp app) : IClassFixture<SubscribersTestApp>
{
    [Fact]
    public async Task DoubleOptInMailsAWorkingConfirmationLinkAndConfirmingTwiceIsHarmless()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();

        var response = await SubscribeAsync(client, "Ada@Example.com", list.Slug, name: "Ada");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unconfirmed", await app.StatusAsync("ada@example.com", list.Id));

        var mail = await app.MailToAsync("Ada@Example.com", "Confirm");
        var link = SubscribersTestApp.LinkIn(mail, "/subscribe/confirm");
        Assert.Contains(link, mail.HtmlBody);

        var first = await client.PostAsync(link, null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("confirmed", await app.StatusAsync("ada@example.com", list.Id));
        await app.MailToAsync("Ada@Example.com", "Welcome");

        var second = await client.PostAsync(link, null);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("confirmed", await app.StatusAsync("ada@example.com", list.Id));
        var subscriberId = await app.SubscriberIdAsync("ada@example.com");
        Assert.Equal(1L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE subscriber_id = $1 AND action = 'confirmed'", subscriberId));
        Assert.Equal("127.0.0.1", (await app.ScalarAsync<IPAddress>(
            "SELECT ip FROM consent_events WHERE subscriber_id = $1 AND action = 'confirmed'", subscriberId))!.ToString());
        await Task.Delay(500);
        Assert.Equal(2, app.MailCount("Ada@Example.com"));
    }

    [Fact]
    public async Task OpeningTheConfirmationLinkShowsAButtonAndOnlyItsPostConfirms()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();
        await SubscribeAsync(client, "opener@example.com", list.Slug);
        var link = SubscribersTestApp.LinkIn(await app.MailToAsync("opener@example.com", "Confirm"), "/subscribe/confirm");

        var opened = await client.GetAsync(link);
        var page = await opened.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains($"<form method=\"post\" action=\"{WebUtility.HtmlEncode(link)}\">", page);
        Assert.Contains(list.Name, page);
        Assert.Equal("unconfirmed", await app.StatusAsync("opener@example.com", list.Id));

        var confirmed = await client.PostAsync(link, null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("your subscription is confirmed", await confirmed.Content.ReadAsStringAsync());
        Assert.Equal("confirmed", await app.StatusAsync("opener@example.com", list.Id));
        Assert.Contains("your subscription is confirmed", await client.GetStringAsync(link));
    }

    [Fact]
    public async Task ALinkScannerFollowingTheConfirmationLinkConfirmsNothing()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();
        await SubscribeAsync(client, "scanned@example.com", list.Slug);
        var link = SubscribersTestApp.LinkIn(await app.MailToAsync("scanned@example.com", "Confirm"), "/subscribe/confirm");
        // A scanner keeps no cookies, follows redirects, and may ask for the headers first.
        using var scanner = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = true }) { BaseAddress = app.BaseAddress };

        var head = await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, link));
        var get = await scanner.GetAsync(link);
        var again = await scanner.GetAsync(link);

        Assert.True(head.StatusCode is HttpStatusCode.OK or HttpStatusCode.MethodNotAllowed, head.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unconfirmed", await app.StatusAsync("scanned@example.com", list.Id));
        Assert.Equal(0L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE subscriber_id = $1 AND action = 'confirmed'", await app.SubscriberIdAsync("scanned@example.com")));
    }

    [Fact]
    public async Task SingleOptInSubscribesAtOnceAndSendsTheWelcomeMailWithOneClickHeaders()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/subscribe", new { email = "grace@example.com", name = "Grace", list = list.Slug });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("confirmed", await app.StatusAsync("grace@example.com", list.Id));
        var welcome = await app.MailToAsync("grace@example.com", "Welcome");
        Assert.Equal("List-Unsubscribe=One-Click", welcome.Headers["List-Unsubscribe-Post"]);
        Assert.Matches(@"^<https?://[^>]+/unsubscribe\?token=[A-Za-z0-9_-]+>$", welcome.Headers["List-Unsubscribe"]);
    }

    [Fact]
    public async Task RepeatedSignUpsDoNotMailTheAddressAgainAndAgain()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();

        await SubscribeAsync(client, "victim@example.com", list.Slug);
        await app.MailToAsync("victim@example.com", "Confirm");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await SubscribeAsync(client, "victim@example.com", list.Slug)).StatusCode);
        await Task.Delay(1500);

        Assert.Equal(1, app.MailCount("victim@example.com"));
    }

    [Fact]
    public void HousekeepingIsScheduledWhenTheServerStarts()
    {
        using var connection = app.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var job = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection)
            .SingleOrDefault(j => j.Id == Newsletter.Subscribers.PurgeUnconfirmedJob.RecurringJobId);
        Assert.NotNull(job);
    }

    [Fact]
    public async Task HostedSignUpFormPostsTheListAndCarriesTheHoneypot()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();

        var response = await client.GetAsync($"/subscribe?list={list.Slug}");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/subscribe\">", page);
        Assert.Contains($"name=\"list\" value=\"{list.Slug}\"", page);
        Assert.Contains("name=\"website\"", page);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/subscribe?list=nope")).StatusCode);
    }

    [Fact]
    public async Task KnownAndUnknownAddressesGetTheSameAnswer()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        using var client = app.CreateClient();
        await SubscribeAsync(client, "known@example.com", list.Slug);

        var known = await SubscribeAsync(client, "known@example.com", list.Slug);
        var unknown = await SubscribeAsync(client, "unknown@example.com", list.Slug);

        Assert.Equal(unknown.StatusCode, known.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await known.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HoneypotSignUpsLookAcceptedButChangeNothing()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        using var client = app.CreateClient();

        var response = await SubscribeAsync(client, "bot@example.com", list.Slug, website: "http://spam.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await app.ScalarAsync<long?>("SELECT id FROM subscribers WHERE email = 'bot@example.com'"));
    }

    [Fact]
    public async Task SuppressedAddressesAreNotResubscribedAndGetNoMail()
    {
        var list = await app.CreateListAsync(doubleOptIn: false);
        await app.Store.SuppressAsync("Bounced@example.com", "hard_bounce", "550 no such user");
        using var client = app.CreateClient();

        var response = await SubscribeAsync(client, "bounced@EXAMPLE.com", list.Slug);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await app.StatusAsync("bounced@example.com", list.Id));
        Assert.Equal(1L, await app.ScalarAsync<long>(
            "SELECT count(*) FROM consent_events WHERE action = 'subscribe_refused' AND list_id = $1", list.Id));
        await Task.Delay(500);
        Assert.Equal(0, app.MailCount("bounced@example.com"));
    }

    [Fact]
    public async Task InvalidAddressesUnknownListsAndOversizedBodiesAreRefused()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.BadRequest, (await SubscribeAsync(client, "a@b.com\r\nBcc: x@y.com", list.Slug)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SubscribeAsync(client, "a@example.com", "no-such-list")).StatusCode);
        var huge = await SubscribeAsync(client, "big@example.com", list.Slug, name: new string('x', 20_000));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Null(await app.StatusAsync("big@example.com", list.Id));
    }

    [Fact]
    public async Task ExpiredConfirmationLinksChangeNothing()
    {
        var list = await app.CreateListAsync(doubleOptIn: true);
        using var client = app.CreateClient();
        await SubscribeAsync(client, "late@example.com", list.Slug);
        var id = await app.SubscriberIdAsync("late@example.com");

        var expired = new Uri(app.Links.ConfirmUrl(id, list.Id, DateTimeOffset.UtcNow.AddSeconds(-1))).PathAndQuery;
        var opened = await client.GetAsync(expired);
        var response = await client.PostAsync(expired, null);

        Assert.Equal(HttpStatusCode.BadRequest, opened.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expired", await response.Content.ReadAsStringAsync());
        Assert.Equal("unconfirmed", await app.StatusAsync("late@example.com", list.Id));
    }

    private static Task<HttpResponseMessage> SubscribeAsync(HttpClient client, string email, string list, string name = "", string website = "") =>
        client.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email,
            ["name"] = name,
            ["list"] = list,
            ["website"] = website,
        }));
}
