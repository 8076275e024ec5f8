-- Queries of SubscriberUpsertStore: subscribers added or updated by the API, a batch in two statements of
-- one transaction. Two, not one: in one statement the planner joined the inserted rows back to the input
-- by nested loops over CTEs it guessed at one row each, 0.85-1.2 s for 1,000 subscribers (EXPLAIN ANALYZE
-- here); with the ids handed back through the app, no join is left to guess.

-- name: lower-addresses
-- The database's lower() of each address, in the order given: the key the upsert hands its rows back by. .NET's
-- ToLowerInvariant agrees only on ASCII: the cluster has no locale, so lower() leaves É as it is.
SELECT lower(email) FROM unnest(@Emails::text[]) WITH ORDINALITY AS t(email, n) ORDER BY n;

-- name: upsert-subscribers
-- Parallel arrays, one element per subscriber; the last of repeated addresses (any case) wins. Suppressed
-- and erased addresses are left out entirely: the API, like the form and the import, never brings them
-- back. Known subscribers keep their name unless one is given and gain the attributes given. Sorted, so
-- that two batches sharing addresses take their row locks in one order and cannot deadlock.
WITH input AS (
    SELECT DISTINCT ON (lower(email)) email, lower(email) AS email_lower, name, attributes::jsonb AS attributes
    FROM unnest(@Emails::text[], @Names::text[], @Attributes::text[]) WITH ORDINALITY AS t(email, name, attributes, n)
    ORDER BY lower(email), n DESC
)
INSERT INTO subscribers (email, name, attributes)
SELECT i.email, i.name, i.attributes FROM input i
WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_lower = i.email_lower)
  AND NOT EXISTS (SELECT 1 FROM erased_addresses e WHERE e.email_hash = sha256(convert_to(i.email_lower, 'UTF8')))
ORDER BY i.email_lower
ON CONFLICT ((lower(email))) DO UPDATE
SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE subscribers.name END,
    attributes = subscribers.attributes || EXCLUDED.attributes,
    updated_at = now()
RETURNING id AS SubscriberId, lower(email) AS EmailLower, xmax = 0 AS Created;

-- name: subscribe
-- One element per (subscriber, list). A subscription is new (confirmed when the caller vouches for it or the
-- list is single opt-in, else waiting for the confirmation mail), or a waiting one is confirmed; a confirmed
-- one stays as it is and an unsubscribed one stays unsubscribed (an opt-out stands). Each new or changed
-- subscription is a consent event. Returns the new subscriptions that wait for their confirmation mail.
WITH wanted AS (
    SELECT w.subscriber_id, w.list_id, w.confirmed OR NOT l.double_opt_in AS confirm
    FROM unnest(@SubscriberIds::bigint[], @ListIds::bigint[], @Confirmed::boolean[]) AS w(subscriber_id, list_id, confirmed)
    JOIN lists l ON l.id = w.list_id
), subscribed AS (
    INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, source)
    SELECT list_id, subscriber_id, CASE WHEN confirm THEN 'confirmed' ELSE 'unconfirmed' END, CASE WHEN confirm THEN now() END, @Source
    FROM wanted ORDER BY list_id, subscriber_id
    ON CONFLICT (list_id, subscriber_id) DO UPDATE
    SET status = 'confirmed', confirmed_at = now(), updated_at = now()
    WHERE subscriptions.status = 'unconfirmed' AND EXCLUDED.status = 'confirmed'
    RETURNING subscriber_id, list_id, status
), logged AS (
    INSERT INTO consent_events (subscriber_id, list_id, action, source, detail)
    SELECT subscriber_id, list_id, CASE WHEN status = 'confirmed' THEN 'subscribed' ELSE 'subscribe_requested' END, @Source, @Detail::jsonb
    FROM subscribed
)
SELECT subscriber_id AS SubscriberId, list_id AS ListId FROM subscribed WHERE status = 'unconfirmed';
