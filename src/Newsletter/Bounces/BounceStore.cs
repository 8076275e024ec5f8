using System.Text.Json;
using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Bounces;

/// <summary>Bounce events and what they do to the suppression list, the subscriptions and the consent log.</summary>
public sealed class BounceStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(BounceStore).Assembly, "Bounces.Sql.bounces.sql");
    private static readonly string DeliverySql = Sql["delivery"];
    private static readonly string LatestDeliveryToSql = Sql["latest-delivery-to"];
    private static readonly string InsertEventSql = Sql["insert-event"];
    private static readonly string SoftBouncesWithinSql = Sql["soft-bounces-within"];
    private static readonly string SuppressSql = Sql["suppress"];
    private static readonly string UnsubscribeEverywhereSql = Sql["unsubscribe-everywhere"];
    private static readonly string CountsOfSendsSql = Sql["counts-of-sends"];

    /// <summary>The delivery's address and ledger status; null when the send never had this subscriber.</summary>
    public async Task<LedgerEntry?> LedgerEntryAsync(DeliveryRef delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<LedgerEntry>(new CommandDefinition(
            DeliverySql, new { delivery.SendId, delivery.SubscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The latest delivery sent to an address among recent sends; null when none.</summary>
    public async Task<DeliveryRef?> LatestDeliveryToAsync(string email, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<DeliveryRef>(new CommandDefinition(
            LatestDeliveryToSql, new { Email = email }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the event and applies its rule in one transaction: hard → suppressed; soft → suppressed once
    /// <paramref name="softLimit"/> soft bounces fall within <paramref name="softWindowDays"/>; complaint →
    /// unsubscribed from every list and suppressed. A second event of the same kind for the delivery changes nothing.
    /// </summary>
    public async Task<BounceOutcome> RecordAsync(DeliveryRef delivery, BounceKind kind, string? status, string source,
        string? diagnostic, int softLimit, int softWindowDays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var kindName = kind switch
        {
            BounceKind.Hard => "hard",
            BounceKind.Soft => "soft",
            BounceKind.Complaint => "complaint",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only bounces and complaints are recorded."),
        };
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertEventSql, new
        {
            delivery.SendId,
            delivery.SubscriberId,
            Kind = kindName,
            Status = status,
            Source = source,
            Diagnostic = diagnostic,
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (id is null)
            return BounceOutcome.Duplicate;

        var eventDetail = JsonSerializer.Serialize(new { kind = kindName, status, send = delivery.SendId });
        string? reason = kind switch
        {
            BounceKind.Hard => "hard_bounce",
            BounceKind.Complaint => "complaint",
            _ when await connection.ExecuteScalarAsync<long>(new CommandDefinition(SoftBouncesWithinSql,
                new { delivery.SubscriberId, WindowDays = softWindowDays }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false) >= softLimit => "soft_bounce",
            _ => null,
        };
        if (kind == BounceKind.Complaint)
            await connection.ExecuteAsync(new CommandDefinition(UnsubscribeEverywhereSql,
                new { delivery.SubscriberId, Source = source, Event = eventDetail }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        var suppressed = reason is not null && await connection.ExecuteScalarAsync<long>(new CommandDefinition(SuppressSql, new
        {
            delivery.SubscriberId,
            Reason = reason,
            Detail = $"{status ?? kindName} in send {delivery.SendId}",
            Source = source,
            Event = JsonSerializer.Serialize(new { reason, status, send = delivery.SendId }),
        }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return suppressed ? BounceOutcome.Suppressed : BounceOutcome.Counted;
    }

    /// <summary>Bounces and complaints of each send asked for, in the order asked; zeros for a send with none.</summary>
    public async Task<IReadOnlyList<BounceCounts>> CountsAsync(IReadOnlyList<long> sendIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sendIds);
        if (sendIds.Count == 0)
            return [];
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<BounceCounts>(new CommandDefinition(
            CountsOfSendsSql, new { SendIds = sendIds.ToArray() }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .ToDictionary(c => c.SendId);
        return sendIds.Select(id => rows.GetValueOrDefault(id) ?? BounceCounts.None(id)).ToList();
    }
}
