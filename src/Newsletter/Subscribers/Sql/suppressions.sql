-- Queries of SuppressionStore: the suppression list a page at a time, and taking an address off it.

-- name: suppressions-page
-- Keyset paging on the primary key: each page is one index range read, however long the list.
SELECT email_lower AS Email, reason AS Reason, detail AS Detail, created_at AS CreatedAt
FROM suppressions WHERE email_lower > @After ORDER BY email_lower LIMIT @Limit;

-- name: remove-suppression
-- Returns 1 when the address was suppressed; the event names the reason it had.
WITH removed AS (
    DELETE FROM suppressions WHERE email_lower = lower(@Email) RETURNING email_lower, reason
), logged AS (
    INSERT INTO consent_events (subscriber_id, action, source, ip, user_agent, detail)
    SELECT (SELECT id FROM subscribers WHERE lower(email) = removed.email_lower), 'unsuppressed', @Source, @Ip::inet, @UserAgent,
           jsonb_build_object('reason', removed.reason)
    FROM removed
)
SELECT count(*) FROM removed;
