using System.Text.RegularExpressions;
using MimeKit;
using Newsletter.Subscribers;
using Newsletter.Tests.Infrastructure;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;

namespace Newsletter.Tests.Subscribers;

/// <summary>The app with a rate limit high enough for a test class, and helpers to read the database and the mails.</summary>
public partial class SubscribersTestApp : TestApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("Newsletter:Subscribers:SubscribeRequestsPerMinute", "10000"), new("Newsletter:Subscribers:LinkRequestsPerMinute", "10000")];

    public SubscriberStore Store => Services.GetRequiredService<SubscriberStore>();

    public SubscriptionLinks Links => Services.GetRequiredService<SubscriptionLinks>();

    public async Task<MailingList> CreateListAsync(bool doubleOptIn)
    {
        var slug = $"list-{Guid.NewGuid():N}"[..20];
        return (await Store.CreateListAsync(slug, $"List {slug}", "", doubleOptIn))!;
    }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public Task<string?> StatusAsync(string email, long listId) => ScalarAsync<string>(
        "SELECT sub.status FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id WHERE lower(s.email) = lower($1) AND sub.list_id = $2",
        email, listId);

    public async Task<long> SubscriberIdAsync(string email) =>
        (await ScalarAsync<long?>("SELECT id FROM subscribers WHERE lower(email) = lower($1)", email))!.Value;

    /// <summary>Waits for a mail to <paramref name="to"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<MimeMessage> MailToAsync(string to, string subject) =>
        await Smtp.MailToAsync(to, subject)
        ?? throw new TimeoutException($"No mail '{subject}' to {to}; {Smtp.Messages.Count} mails in all. Jobs: {await JobStatesAsync()}");

    /// <summary>What Hangfire did with the jobs, to explain a mail that never came.</summary>
    private async Task<string> JobStatesAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(j.id || ' ' || coalesce(j.statename, '?') || ' ' || left(j.invocationdata::text, 120) || ' ' || " +
            "coalesce(left(s.data::text, 400), ''), E'\n') FROM hangfire.job j LEFT JOIN hangfire.state s ON s.id = j.stateid", connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "none";
    }

    public int MailCount(string to) => Smtp.MailCount(to);

    /// <summary>The path and query of the first link to <paramref name="path"/> in the text part.</summary>
    public static string LinkIn(MimeMessage mail, string path)
    {
        var match = Regex.Match(mail.TextBody ?? "", $@"https?://[^/\s]+(?<link>{Regex.Escape(path)}\?token=[A-Za-z0-9_-]+)");
        Assert.True(match.Success, $"No {path} link in: {mail.TextBody}");
        return match.Groups["link"].Value;
    }
}
