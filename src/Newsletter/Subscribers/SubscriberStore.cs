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
    private static readonly string GetOrCreateTokenSecretSql = Sql["get-or-create-token-secret"];
    private static readonly string CreateListSql = Sql["create-list"];
    private static readonly string UpdateListSql = Sql["update-list"];
    private static readonly string ListBySlugSql = Sql["list-by-slug"];
    private static readonly string ListSummariesSql = Sql["list-summaries"];
    private static readonly string SuppressionOfSql = Sql["suppression-of"];
    private static readonly string SuppressionsByReasonSql = Sql["suppressions-by-reason"];
    private static readonly string SubscriberIdOfSql = Sql["subscriber-id-of"];
    private static readonly string InsertSubscriberSql = Sql["insert-subscriber"];
    private static readonly string InsertSubscriptionSql = Sql["insert-subscription"];
    private static readonly string RequestSignUpAgainSql = Sql["request-signup-again"];
    private static readonly string ConfirmationStateSql = Sql["confirmation-state"];
    private static readonly string SubscriptionStatusForUpdateSql = Sql["subscription-status-for-update"];
    private static readonly string ConfirmSubscriptionSql = Sql["confirm-subscription"];
    private static readonly string SubscriptionStatusSql = Sql["subscription-status"];
    private static readonly string UnsubscribeSql = Sql["unsubscribe"];
    private static readonly string UnsubscribeAllSql = Sql["unsubscribe-all"];
    private static readonly string SuppressSubscriberSql = Sql["suppress-subscriber"];
    private static readonly string SuppressAddressSql = Sql["suppress-address"];
    private static readonly string SubscriberEmailSql = Sql["subscriber-email"];
    private static readonly string SubscriberListsSql = Sql["subscriber-lists"];
    private static readonly string FindSubscriberSql = Sql["find-subscriber"];
    private static readonly string ConsentMailRecipientSql = Sql["consent-mail-recipient"];
    private static readonly string ClaimConfirmationMailSql = Sql["claim-confirmation-mail"];
    private static readonly string ReleaseConfirmationMailSql = Sql["release-confirmation-mail"];
    private static readonly string MarkConfirmationSentSql = Sql["mark-confirmation-sent"];
    private static readonly string MarkWelcomeSentSql = Sql["mark-welcome-sent"];
    private static readonly string PurgeUnconfirmedSql = Sql["purge-unconfirmed"];
    private static readonly string ExportListSql = Sql["export-list"];
    private static readonly string InsertConsentEventSql = Sql["insert-consent-event"];

    public async Task<string> GetOrCreateTokenSecretAsync(string fresh, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            GetOrCreateTokenSecretSql, new { Fresh = fresh }, cancellationToken: cancellationToken)).ConfigureAwait(false)
            ?? throw new InvalidOperationException("app_setting returned no token secret.");
    }

    /// <summary>Creates a list; null if the slug is taken.</summary>
    public async Task<MailingList?> CreateListAsync(string slug, string name, string description, bool doubleOptIn,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<MailingList>(new CommandDefinition(CreateListSql,
            new { Slug = slug, Name = name, Description = description, DoubleOptIn = doubleOptIn },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Changes a list's name, description or opt-in (a null keeps it); null when no list has the slug.</summary>
    public async Task<MailingList?> UpdateListAsync(string slug, string? name, string? description, bool? doubleOptIn,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<MailingList>(new CommandDefinition(UpdateListSql,
            new { Slug = slug, Name = name, Description = description, DoubleOptIn = doubleOptIn },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>How many addresses the suppression list holds for each reason, largest first.</summary>
    public async Task<IReadOnlyList<SuppressionCount>> SuppressionsByReasonAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SuppressionCount>(new CommandDefinition(SuppressionsByReasonSql,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<MailingList?> FindListAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<MailingList>(new CommandDefinition(ListBySlugSql,
            new { Slug = slug }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ListSummary>> ListSummariesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ListSummary>(new CommandDefinition(ListSummariesSql,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    // suppression-of's reason for an erased address, of which only the hash is left: it is not written down again.
    private const string ErasedReason = "erased";

    /// <summary>
    /// A sign-up from the form, anonymous: it adds what is new and never changes what is stored. Double
    /// opt-in lists wait for confirmation; single opt-in lists confirm a new address at once. Someone who
    /// left the list stays unsubscribed until they confirm a new sign-up from the mail. A suppressed
    /// address (bounce, complaint, manual, "unsubscribe from everything", erased) changes nothing and gets no mail.
    /// </summary>
    public async Task<SubscribeResult> SubscribeAsync(MailingList list, string email, string name, ConsentContext context,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var suppression = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SuppressionOfSql,
            new { Email = email }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (suppression is not null)
        {
            var knownId = await SubscriberIdAsync().ConfigureAwait(false);
            await LogAsync(connection, transaction, knownId, list.Id, "subscribe_refused", context,
                new { reason = suppression, email = knownId is null && suppression != ErasedReason ? email : null }, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new SubscribeResult(SubscribeOutcome.Suppressed, knownId);
        }

        // The insert waits for a concurrent sign-up of the same address and then returns nothing; the
        // lookup after it, a statement of its own, sees that sign-up's row.
        var subscriberId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertSubscriberSql,
            new { Email = email, Name = name }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false)
            ?? await SubscriberIdAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException("A subscriber neither inserted nor found.");
        var ids = new { ListId = list.Id, SubscriberId = subscriberId, Source = "form" };
        var status = await StatusForUpdateAsync().ConfigureAwait(false);
        SubscribeOutcome? outcome = null;
        if (status is null)
        {
            var confirmAtOnce = !list.DoubleOptIn;
            var inserted = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(InsertSubscriptionSql,
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
            // Unconfirmed (a repeated sign-up: left as it is) or unsubscribed (coming back: the request is
            // noted, the opt-out stands): either way only the confirmation link changes the row.
            if (status == SubscriptionStatus.Unsubscribed)
                await connection.ExecuteAsync(new CommandDefinition(RequestSignUpAgainSql, ids, transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            outcome = SubscribeOutcome.ConfirmationNeeded;
        }

        if (outcome != SubscribeOutcome.AlreadyConfirmed)
            await LogAsync(connection, transaction, subscriberId, list.Id,
                outcome == SubscribeOutcome.Confirmed ? "subscribed" : "subscribe_requested", context,
                new { double_opt_in = list.DoubleOptIn, previous = status }, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new SubscribeResult(outcome.Value, subscriberId);

        Task<long?> SubscriberIdAsync() => connection.ExecuteScalarAsync<long?>(new CommandDefinition(SubscriberIdOfSql,
            new { Email = email }, transaction, cancellationToken: cancellationToken));

        Task<string?> StatusForUpdateAsync() => connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            SubscriptionStatusForUpdateSql, new { ListId = list.Id, SubscriberId = subscriberId }, transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Whether a confirmation link issued at <paramref name="linkIssuedAt"/> can still confirm: <c>pending</c>,
    /// <c>confirmed</c> (already), <c>closed</c> (left, or asked for before leaving), or null (no such subscription).
    /// </summary>
    public async Task<string?> ConfirmationStateAsync(long subscriberId, long listId, DateTimeOffset linkIssuedAt,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(ConfirmationStateSql,
            new { ListId = listId, SubscriberId = subscriberId, LinkIssuedAt = linkIssuedAt }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The confirmation POST: the person's own request, the one thing that ends an opt-out from the list
    /// (never an "unsubscribe from everything": that address gets no confirmation mail). Harmless to repeat.
    /// </summary>
    public async Task<ConfirmOutcome> ConfirmAsync(long subscriberId, long listId, DateTimeOffset linkIssuedAt, ConsentContext context,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = new { ListId = listId, SubscriberId = subscriberId };
        var confirmed = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(ConfirmSubscriptionSql,
            new { ListId = listId, SubscriberId = subscriberId, LinkIssuedAt = linkIssuedAt }, transaction,
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (confirmed is null)
        {
            var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SubscriptionStatusSql, ids, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return status == SubscriptionStatus.Confirmed ? ConfirmOutcome.AlreadyConfirmed : ConfirmOutcome.NotPending;
        }

        await LogAsync(connection, transaction, subscriberId, listId, "confirmed", context, null, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ConfirmOutcome.Confirmed;
    }

    /// <summary>Unsubscribes from one list at once; true if it changed anything. Harmless to repeat.</summary>
    public async Task<bool> UnsubscribeAsync(long subscriberId, long listId, ConsentContext context,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(UnsubscribeSql, new
        {
            ListId = listId,
            SubscriberId = subscriberId,
            context.Source,
            context.Ip,
            context.UserAgent,
        }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return changed > 0;
    }

    /// <summary>Unsubscribes from every list and suppresses the address: no later sign-up, confirmation or import brings it back.</summary>
    public async Task UnsubscribeAllAsync(long subscriberId, ConsentContext context, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await connection.QueryAsync<long>(new CommandDefinition(UnsubscribeAllSql,
            new { SubscriberId = subscriberId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var list in changed)
            await LogAsync(connection, transaction, subscriberId, list, "unsubscribed", context, new { all = true }, cancellationToken).ConfigureAwait(false);
        var suppressed = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(SuppressSubscriberSql,
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
    public Task SuppressAsync(string email, string reason, string? detail, string source = "delivery",
        CancellationToken cancellationToken = default) =>
        SuppressAsync(email, reason, detail, new ConsentContext(source), cancellationToken);

    /// <summary>
    /// As <see cref="SuppressAsync(string, string, string?, string, CancellationToken)"/>, with the client the event records
    /// (an admin's page); true when the address was not suppressed before.
    /// </summary>
    public async Task<bool> SuppressAsync(string email, string reason, string? detail, ConsentContext context,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(SuppressAddressSql, new
        {
            Email = email,
            Reason = reason,
            Detail = detail,
            context.Source,
            context.Ip,
            context.UserAgent,
        }, cancellationToken: cancellationToken)).ConfigureAwait(false) > 0;
    }

    public async Task<string?> SubscriberEmailAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(SubscriberEmailSql,
            new { SubscriberId = subscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The subscriber with this address (any case) or, given digits only, this id; null when there is none.</summary>
    public async Task<SubscriberIdentity?> FindSubscriberAsync(string emailOrId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(emailOrId);
        var id = long.TryParse(emailOrId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : -1;
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<SubscriberIdentity>(new CommandDefinition(FindSubscriberSql,
            new { Email = id >= 0 ? "" : emailOrId.Trim(), Id = id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SubscriberSubscription>> SubscriberListsAsync(long subscriberId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.QueryAsync<SubscriberSubscription>(new CommandDefinition(SubscriberListsSql,
            new { SubscriberId = subscriberId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.AsList();
    }

    public async Task<ConsentMailRecipient?> ConsentMailRecipientAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ConsentMailRecipient>(new CommandDefinition(ConsentMailRecipientSql,
            new { SubscriberId = subscriberId, ListId = listId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims the address's one confirmation mail of the window; null when one went out within it.
    /// Atomic: of concurrent claims for one address, one wins.
    /// </summary>
    public async Task<DateTime?> ClaimConfirmationMailAsync(long subscriberId, TimeSpan window, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(ClaimConfirmationMailSql,
            new { SubscriberId = subscriberId, WindowSeconds = window.TotalSeconds }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Gives back a claim whose mail did not go out.</summary>
    public async Task ReleaseConfirmationMailAsync(long subscriberId, DateTime claimed, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(ReleaseConfirmationMailSql,
            new { SubscriberId = subscriberId, Claimed = claimed }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task MarkConfirmationSentAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(MarkConfirmationSentSql,
            new { SubscriberId = subscriberId, ListId = listId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task MarkWelcomeSentAsync(long subscriberId, long listId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(MarkWelcomeSentSql,
            new { SubscriberId = subscriberId, ListId = listId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Drops form sign-ups left unconfirmed longer than <paramref name="maxAge"/>; returns how many.</summary>
    public async Task<long> PurgeUnconfirmedAsync(TimeSpan maxAge, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(PurgeUnconfirmedSql,
            new { Days = (int)Math.Ceiling(maxAge.TotalDays) }, cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The list's subscriptions in subscriber order, streamed.</summary>
    public async IAsyncEnumerable<ExportRow> ExportAsync(long listId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var row in connection.QueryUnbufferedAsync<ExportRow>(ExportListSql, new { ListId = listId })
                           .WithCancellation(cancellationToken).ConfigureAwait(false))
            yield return row;
    }

    private static Task LogAsync(DbConnection connection, DbTransaction transaction, long? subscriberId, long? listId, string action,
        ConsentContext context, object? detail, CancellationToken cancellationToken = default) =>
        connection.ExecuteAsync(new CommandDefinition(InsertConsentEventSql, new
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
