using Microsoft.Extensions.DependencyInjection;
using Newsletter.Sending;
using Newsletter.Subscribers;
using Newsletter.Tests.Sending;

namespace Newsletter.Tests.Pages;

/// <summary>The app with one issue gone out (so the archive has something to show) and helpers for signed links.</summary>
public sealed class PagesTestApp : SendingTestApp, IAsyncLifetime
{
    public string IssueSlug { get; private set; } = "";

    public SubscriberStore Store => Services.GetRequiredService<SubscriberStore>();

    public SubscriptionLinks Links => Services.GetRequiredService<SubscriptionLinks>();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var issueId = await StoreSampleIssueAsync();
        var listId = await CreateListAsync("pages-archive");
        await SubscribeAsync("archive-reader@example.com", listId);
        var send = await Scheduler.ScheduleAsync(issueId, ["pages-archive"], at: null);
        await WaitForStatusAsync(send.Id, SendStatus.Finished);
        IssueSlug = (await Issues.GetIssueAsync(issueId)).Slug;
    }

    public async Task<MailingList> CreateDoubleOptInListAsync()
    {
        var slug = $"weekly-{Guid.NewGuid():N}"[..16];
        return (await Store.CreateListAsync(slug, "The Weekly Letter", "One letter a week about quiet, durable software.", doubleOptIn: true))!;
    }

    /// <summary>A fresh address waiting for confirmation on <paramref name="list"/>; returns its subscriber id.</summary>
    public async Task<long> SignUpAsync(MailingList list, string email) =>
        (await Store.SubscribeAsync(list, email, "Reader", new ConsentContext("test"))).SubscriberId!.Value;

    public string PathOf(string url) => new Uri(url).PathAndQuery;
}
