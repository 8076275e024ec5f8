namespace Newsletter.Subscribers;

/// <summary>
/// What a row of an imported file says about the person: still subscribed, waiting for confirmation,
/// gone from the list, or never to be mailed again. Read from the status columns of the common exports:
/// ours (<c>status</c>: confirmed, unconfirmed, unsubscribed, bounced, complained, suppressed); Mailchimp's
/// (one file per state, the unsubscribed one with <c>UNSUB_TIME</c>, the cleaned one with <c>CLEAN_TIME</c>;
/// API exports carry <c>status</c>: subscribed, unsubscribed, cleaned, pending); listmonk's (<c>status</c>
/// of the subscriber: enabled, disabled, blocklisted; <c>subscription_status</c>: confirmed, unconfirmed,
/// unsubscribed); Substack's (<c>email_disabled</c>: true once the reader turned emails off).
/// </summary>
public static class ImportStatus
{
    /// <summary>How a status column is read.</summary>
    public enum Column
    {
        /// <summary>A word such as "unsubscribed" or "cleaned".</summary>
        Word,

        /// <summary>Any value means the reader left (Mailchimp's UNSUB_TIME).</summary>
        UnsubscribedWhenSet,

        /// <summary>Any value means the address bounced (Mailchimp's CLEAN_TIME).</summary>
        CleanedWhenSet,

        /// <summary>"true" means the reader turned emails off (Substack's email_disabled).</summary>
        UnsubscribedWhenTrue,
    }

    /// <summary>Where a row lands, from most to least willing; the staging table stores the name in lower case.</summary>
    public enum Standing
    {
        Subscribed,
        Unconfirmed,
        Unsubscribed,
        Suppressed,
    }

    internal static Column? ColumnOf(string normalizedHeader) => normalizedHeader switch
    {
        "status" or "subscriptionstatus" or "memberstatus" or "subscriberstatus" => Column.Word,
        "unsubtime" => Column.UnsubscribedWhenSet,
        "cleantime" => Column.CleanedWhenSet,
        "emaildisabled" => Column.UnsubscribedWhenTrue,
        _ => null,
    };

    /// <summary>
    /// Reads one value. Unknown words are refused rather than guessed: a row that might say "left"
    /// must not be subscribed. <paramref name="reason"/> is the suppression reason for
    /// <see cref="Standing.Suppressed"/>.
    /// </summary>
    public static bool TryRead(Column column, string value, out Standing standing, out string? reason)
    {
        value = value.Trim();
        reason = null;
        standing = Standing.Subscribed;
        switch (column)
        {
            case Column.UnsubscribedWhenSet:
                if (value.Length > 0)
                    standing = Standing.Unsubscribed;
                return true;
            case Column.CleanedWhenSet:
                if (value.Length > 0)
                    (standing, reason) = (Standing.Suppressed, "hard_bounce");
                return true;
            case Column.UnsubscribedWhenTrue:
                if (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1" || value.Equals("yes", StringComparison.OrdinalIgnoreCase))
                    standing = Standing.Unsubscribed;
                return true;
        }
        switch (value.ToLowerInvariant().Replace(' ', '_').Replace('-', '_'))
        {
            case "" or "subscribed" or "confirmed" or "active" or "enabled":
                return true;
            case "unconfirmed" or "pending":
                standing = Standing.Unconfirmed;
                return true;
            case "unsubscribed" or "disabled" or "inactive" or "opted_out" or "archived":
                standing = Standing.Unsubscribed;
                return true;
            case "cleaned" or "bounced" or "hard_bounce":
                (standing, reason) = (Standing.Suppressed, "hard_bounce");
                return true;
            case "complained" or "complaint" or "spam":
                (standing, reason) = (Standing.Suppressed, "complaint");
                return true;
            case "suppressed" or "blocklisted" or "blacklisted" or "blocked":
                (standing, reason) = (Standing.Suppressed, "manual");
                return true;
            default:
                return false;
        }
    }
}
