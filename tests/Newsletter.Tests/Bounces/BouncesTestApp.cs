using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newsletter.Bounces;
using Newsletter.Sending;
using Newsletter.Tests.Sending;
using Npgsql;

namespace Newsletter.Tests.Bounces;

/// <summary>The sending app with a VERP bounce address, and helpers to seed sends that went out and read what bounces did.</summary>
public class BouncesTestApp : SendingTestApp
{
    public const string BounceAddress = "bounces@example.com";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [.. base.Settings, new("Newsletter:Bounces:Address", BounceAddress), new("Newsletter:Bounces:SoftLimit", "3")];

    public BounceRecorder Recorder => Services.GetRequiredService<BounceRecorder>();

    public BounceClassifier Classifier => Services.GetRequiredService<BounceClassifier>();

    public EnvelopeSender Envelope => Services.GetRequiredService<EnvelopeSender>();

    /// <summary>A finished send of <paramref name="recipients"/> readers <c>{slug}-N@example.com</c>, every delivery sent.</summary>
    public async Task<(long ListId, long SendId, long[] SubscriberIds)> SentAsync(string slug, int recipients)
    {
        var (listId, sendId) = await Audience.CreateFrozenSendAsync(slug, recipients);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.ExecuteAsync(
            "UPDATE deliveries SET status = 'sent', sent_at = now() WHERE send_id = @sendId; " +
            "UPDATE sends SET status = 'finished', finished_at = now() WHERE id = @sendId", new { sendId });
        var ids = (await connection.QueryAsync<long>(
            "SELECT subscriber_id FROM deliveries WHERE send_id = @sendId ORDER BY subscriber_id", new { sendId })).ToArray();
        return (listId, sendId, ids);
    }

    /// <summary>Another finished send of a fresh issue to the same readers.</summary>
    public async Task<long> SentAgainAsync(long listId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        return await connection.ExecuteScalarAsync<long>("""
            WITH issue AS (INSERT INTO issues (slug, title, source) VALUES ('again-' || gen_random_uuid(), 'again', '') RETURNING id),
                 send AS (INSERT INTO sends (issue_id, list_ids, status, scheduled_at, finished_at)
                          SELECT id, ARRAY[@listId], 'finished', now(), now() FROM issue RETURNING id),
                 rows AS (INSERT INTO deliveries (send_id, subscriber_id, list_id, email, name, status, sent_at)
                          SELECT send.id, s.id, @listId, s.email, s.name, 'sent', now()
                          FROM send, subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id WHERE sub.list_id = @listId)
            SELECT id FROM send
            """, new { listId });
    }

    /// <summary>Why the address is suppressed; null when it is not.</summary>
    public async Task<string?> SuppressionReasonAsync(string email) =>
        (await Audience.QueryAsync<string>("SELECT reason FROM suppressions WHERE email_lower = lower(@email)", new { email })).SingleOrDefault();

    /// <summary>The subscriber's consent trail as <c>action/source</c>, oldest first.</summary>
    public Task<string> TrailAsync(long subscriberId) => ScalarAsync<string>(
        "SELECT coalesce(string_agg(action || '/' || source, ' ' ORDER BY id), '') FROM consent_events WHERE subscriber_id = @subscriberId",
        new { subscriberId });
}
