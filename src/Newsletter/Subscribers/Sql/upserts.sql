-- Queries of SubscriberUpsertStore: subscribers added or updated by the API, a batch in one statement.

-- name: upsert
-- Inputs are parallel arrays, one element per subscriber (n is its 1-based place), and (item, list) pairs.
-- The last of repeated addresses (any case) wins. Suppressed and erased addresses are left out entirely:
-- the API, like the form and the import, never brings them back. Known subscribers keep their name unless
-- one is given and gain the attributes given. A subscription is new (confirmed when the caller says so or
-- the list is single opt-in, else waiting for the confirmation mail), or a waiting one is confirmed; a
-- confirmed one stays as it is and an unsubscribed one stays unsubscribed (an opt-out stands). Each new
-- or changed subscription is a consent event. Rows come back as 'subscriber' (id, address, created) and
-- 'confirm' (a subscription waiting for its confirmation mail).
-- Sorted inserts take row locks in one order, so two batches sharing addresses cannot deadlock.
WITH input AS (
    SELECT DISTINCT ON (lower(email)) n, email, lower(email) AS email_lower, name, attributes::jsonb AS attributes, confirmed
    FROM unnest(@Emails::text[], @Names::text[], @Attributes::text[], @Confirmed::boolean[])
         WITH ORDINALITY AS t(email, name, attributes, confirmed, n)
    ORDER BY lower(email), n DESC
), allowed AS (
    SELECT i.* FROM input i
    WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_lower = i.email_lower)
      AND NOT EXISTS (SELECT 1 FROM erased_addresses e WHERE e.email_hash = sha256(convert_to(i.email_lower, 'UTF8')))
), upserted AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM allowed ORDER BY email_lower
    ON CONFLICT ((lower(email))) DO UPDATE
    SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE subscribers.name END,
        attributes = subscribers.attributes || EXCLUDED.attributes,
        updated_at = now()
    RETURNING id, lower(email) AS email_lower, xmax = 0 AS created
), wanted AS (
    SELECT u.id AS subscriber_id, l.id AS list_id, a.confirmed OR NOT l.double_opt_in AS confirm
    FROM upserted u
    JOIN allowed a ON a.email_lower = u.email_lower
    JOIN unnest(@PairItems::bigint[], @PairLists::bigint[]) AS p(n, list_id) ON p.n = a.n
    JOIN lists l ON l.id = p.list_id
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
SELECT 'subscriber' AS Kind, id AS SubscriberId, email_lower AS EmailLower, created AS Created, NULL::bigint AS ListId FROM upserted
UNION ALL
SELECT 'confirm', subscriber_id, NULL, false, list_id FROM subscribed WHERE status = 'unconfirmed';
