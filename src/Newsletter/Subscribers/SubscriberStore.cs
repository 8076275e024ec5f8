using System.Data.Common;
using System.Text.Json;
using Dapper;
using Newsletter.Storage;
using Npgsql;

namespace Newsletter.Subscribers;

/// <summary>Lists, subscribers, subscriptions, suppressions and the consent log. Every consent change writes its event in the same transaction.</summary>
public sealed class SubscriberStore(NpgsqlDataSource database)
{
    private static readonly SqlQueries Sql = SqlQueries.Load(typeof(SubscriberStore).Assembly, "Subscribers.Sql.subscribers.sql");

    public async Task<string> GetOrCreateTokenSecretAsync(string fresh, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            Sql["get-or-create-token-secret"], new { Fresh = fresh }, cancellationToken: cancellationToken)).ConfigureAwait(false)
            ?? throw new InvalidOperationException("app_setting returned no token secret.");
    }

    /// <summary>Creates a list; null if the slug is taken.</summary>
    public async Task<MailingList?> CreateListAsync(string slug, string name, string description, bool doubleOptIn,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<MailingList>(new CommandDefinition(Sql["create-list"],
            new { Slug = slug, Name = name, Description = description, DoubleOptIn = doubleOptIn },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<MailingList?> FindListAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<MailingList>(new CommandDefinition(Sql["list-by-slug"],
            new { Slug = slug }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ListSummary>> ListSummariesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ListSummary>(new CommandDefinition(Sql["list-summaries"],
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    /// <summary>
    /// A sign-up from the form. Double opt-in lists, and anyone who once unsubscribed or asked to hear
    /// nothing more, wait for confirmation; single opt-in lists confirm at once. A bounced, complained
    /// or manually suppressed address changes nothing.
    /// </summary>
    public async Task<SubscribeResult> SubscribeAsync(MailingList list, string email, string name, ConsentContext context,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var suppression = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Sql["suppression-of"],
            new { Email = email }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (suppression is not null and not "unsubscribed_all")
        {
            var knownId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(Sql["subscriber-id-of"],
                new { Email = email }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await LogAsync(connection, transaction, knownId, list.Id, "subscribe_refused", context,
                new { reason = suppression, email = knownId is null ? email : null }, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new SubscribeResult(SubscribeOutcome.Suppressed, knownId);
        }

        var subscriberId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql["upsert-subscriber"],
            new { Email = email, Name = name }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var ids = new { ListId = list.Id, SubscriberId = subscriberId, Source = "form" };
        var status = await StatusForUpdateAsync().ConfigureAwait(false);
        SubscribeOutcome? outcome = null;
        if (status is null)
        {
            var confirmAtOnce = !list.DoubleOptIn && suppression is null;
            var inserted = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Sql["insert-subscription"],
                new { ids.ListId, ids.SubscriberId, ids.Source, Status = confirmAtOnce ? SubscriptionStatus.Confirmed : SubscriptionStatus.Unconfirmed },
                transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (inserted is not null)
                outcome = confirmAtOnce ? SubscribeOutcome.Confirmed : SubscribeOutcome.ConfirmationNeeded;
            else
                status = await StatusForUpdateAsync().ConfigureAwait(false);
        }
        if (outcome is null && status == SubscriptionStatus.Confirmed)
        {
            outcome = SubscribeOutcome.AlreadyConfirmed;
        }
        else if (outcome is null)
        {
            // Unconfirmed (a repeated sign-up) or unsubscribed (coming back): always through the confirmation link.
            await connection.ExecuteAsync(new CommandDefinition(Sql["reopen-subscription"], ids, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            outcome = SubscribeOutcome.ConfirmationNeeded;
        }

        if (outcome != SubscribeOutcome.AlreadyConfirmed)
            await LogAsync(connection, transaction, subscriberId, list.Id,
                outcome == SubscribeOutcome.Confirmed ? "subscribed" : "subscribe_requested", context,
                new { double_opt_in = list.DoubleOptIn, previous = status }, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SubscribeResult(outcome.Value, subscriberId);

        Task<string?> StatusForUpdateAsync() => connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            Sql["subscription-status-for-update"], new { ListId = list.Id, SubscriberId = subscriberId }, transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Follows a confirmation link; harmless to repeat.</summary>
    public async Task<ConfirmOutcome> ConfirmAsync(long subscriberId, long listId, ConsentContext context,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = new { ListId = listId, SubscriberId = subscriberId };
        var confirmed = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Sql["confirm-subscription"], ids, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (confirmed is null)
        {
            var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Sql["subscription-status"], ids, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return status == SubscriptionStatus.Confirmed ? ConfirmOutcome.AlreadyConfirmed : ConfirmOutcome.NotPending;
        }

        await LogAsync(connection, transaction, subscriberId, listId, "confirmed", context, null, cancellationToken).ConfigureAwait(false);
        var lifted = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Sql["lift-unsubscribed-all"], ids, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (lifted is not null)
            await LogAsync(connection, transaction, subscriberId, listId, "suppression_lifted", context,
                new { reason = "unsubscribed_all" }, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ConfirmOutcome.Confirmed;
    }

    /// <summary>Unsubscribes from one list at once; true if it changed anything. Harmless to repeat.</summary>
    public async Task<bool> UnsubscribeAsync(long subscriberId, long listId, ConsentContext context,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await connection.QueryAsync<long>(new CommandDefinition(Sql["unsubscribe"],
            new { ListId = listId, SubscriberId = subscriberId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var list in changed)
            await LogAsync(connection, transaction, subscriberId, list, "unsubscribed", context, null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed.Any();
    }

    /// <summary>Unsubscribes from every list and suppresses the address, so no later sign-up or import brings it back unconfirmed.</summary>
    public async Task UnsubscribeAllAsync(long subscriberId, ConsentContext context, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await connection.QueryAsync<long>(new CommandDefinition(Sql["unsubscribe-all"],
            new { SubscriberId = subscriberId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var list in changed)
            await LogAsync(connection, transaction, subscriberId, list, "unsubscribed", context, new { all = true }, cancellationToken).ConfigureAwait(false);
        var suppressed = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(Sql["suppress-subscriber"],
            new { SubscriberId = subscriberId, Reason = "unsubscribed_all", Detail = (string?)null }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (suppressed is not null)
            await LogAsync(connection, transaction, subscriberId, null, "suppressed", context, new { reason = "unsubscribed_all" }, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds an address to the suppression list: <paramref name="reason"/> is <c>hard_bounce</c>,
    /// <c>complaint</c>, <c>manual</c> or <c>unsubscribed_all</c>. Keeps an existing reason. Logs a
    /// <c>suppressed</c> consent event with <paramref name="source"/> (e.g. <c>delivery</c>, <c>bounce</c>).
    /// </summary>
    public async Task SuppressAsync(string email, string reason, string? detail, string source = "delivery",
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(Sql["suppress-address"],
            new { Email = email, Reason = reason, Detail = detail, Source = source }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<string?> SubscriberEmailAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(Sql["subscriber-email"],
            new { SubscriberId = subscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SubscriberSubscription>> SubscriberListsAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SubscriberSubscription>(new CommandDefinition(Sql["subscriber-lists"],
            new { SubscriberId = subscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<ConsentMailRecipient?> ConsentMailRecipientAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ConsentMailRecipient>(new CommandDefinition(Sql["consent-mail-recipient"],
            new { SubscriberId = subscriberId, ListId = listId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task MarkConfirmationSentAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(Sql["mark-confirmation-sent"],
            new { SubscriberId = subscriberId, ListId = listId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task MarkWelcomeSentAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(Sql["mark-welcome-sent"],
            new { SubscriberId = subscriberId, ListId = listId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Drops form sign-ups left unconfirmed longer than <paramref name="maxAge"/>; returns how many.</summary>
    public async Task<long> PurgeUnconfirmedAsync(TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(Sql["purge-unconfirmed"],
            new { Days = (int)Math.Ceiling(maxAge.TotalDays) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The list's subscriptions in subscriber order, streamed.</summary>
    public async IAsyncEnumerable<ExportRow> ExportAsync(long listId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<ExportRow>(Sql["export-list"], new { ListId = listId })
                           .WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return row;
    }

    private static Task LogAsync(DbConnection connection, DbTransaction transaction, long? subscriberId, long? listId, string action,
        ConsentContext context, object? detail, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(new CommandDefinition(Sql["insert-consent-event"], new
        {
            SubscriberId = subscriberId,
            ListId = listId,
            Action = action,
            context.Source,
            context.Ip,
            context.UserAgent,
            Detail = detail is null ? null : JsonSerializer.Serialize(detail, JsonOptions),
        }, transaction, cancellationToken: cancellationToken));

    private static readonly JsonSerializerOptions JsonOptions = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
}
