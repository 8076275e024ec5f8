-- Queries of SubscriberImportStore: the whole import is one transaction over these statements.

-- name: create-staging
CREATE TEMP TABLE import_staging (
    line       bigint NOT NULL,
    email      text NOT NULL,
    name       text NOT NULL,
    attributes jsonb NOT NULL,
    -- What the file says: subscribed, unconfirmed, unsubscribed or suppressed (ImportStatus.Standing).
    standing   text NOT NULL,
    reason     text
) ON COMMIT DROP;

-- name: copy-staging
COPY import_staging (line, email, name, attributes, standing, reason) FROM STDIN (FORMAT BINARY)

-- name: classify
-- One row per address (any case); the last one in the file wins, as when a later row corrects an
-- earlier one. Each row keeps what is stored for it now (subscriber id, status on the list), so the
-- merge can insert what is new without ON CONFLICT. Outcomes: 'suppressed' (suppressed, erased or gone
-- from this list already: left alone), 'suppress' (the file says bounced, complained or blocked),
-- 'unsubscribe' (the file says they left this list), 'updated', 'imported'. The target is the status a
-- subscription gets: a file's "confirmed" needs the author's --confirmed too, its "unconfirmed" stays so.
-- Temporary tables are never analysed by autovacuum, hence the ANALYZE.
ANALYZE import_staging;
CREATE TEMP TABLE import_rows ON COMMIT DROP AS
SELECT d.email_lower, d.email, d.name, d.attributes, d.reason, s.id AS subscriber_id, sub.status AS subscription_status,
       CASE WHEN sup.email_lower IS NOT NULL OR erased.email_hash IS NOT NULL OR sub.status = 'unsubscribed' THEN 'suppressed'
            WHEN d.standing = 'suppressed' THEN 'suppress'
            WHEN d.standing = 'unsubscribed' THEN 'unsubscribe'
            WHEN sub.status IS NOT NULL THEN 'updated'
            ELSE 'imported' END AS outcome,
       CASE WHEN d.standing = 'unsubscribed' THEN 'unsubscribed'
            WHEN @Confirmed AND d.standing = 'subscribed' THEN 'confirmed'
            ELSE 'unconfirmed' END AS target
FROM (
    SELECT DISTINCT ON (lower(email)) lower(email) AS email_lower, email, name, attributes, standing, reason
    FROM import_staging
    ORDER BY lower(email), line DESC
) d
LEFT JOIN suppressions sup ON sup.email_lower = d.email_lower
LEFT JOIN erased_addresses erased ON erased.email_hash = sha256(convert_to(d.email_lower, 'UTF8'))
LEFT JOIN subscribers s ON lower(s.email) = d.email_lower
LEFT JOIN subscriptions sub ON sub.subscriber_id = s.id AND sub.list_id = @ListId;
ANALYZE import_rows;

-- name: outcome-counts
SELECT (SELECT count(*) FROM import_staging) AS Staged,
       count(*) FILTER (WHERE outcome = 'imported') AS Imported,
       count(*) FILTER (WHERE outcome = 'updated') AS Updated,
       count(*) FILTER (WHERE outcome IN ('suppressed', 'suppress')) AS Suppressed,
       count(*) FILTER (WHERE outcome = 'unsubscribe') AS Unsubscribed
FROM import_rows;

-- name: merge
-- Measured here (2 cores, 1,000,000 new rows into an empty list, psql): 12 s, against 21 s for
-- merge-concurrent (ON CONFLICT's speculative insertion cost 2.8 s on subscribers and 2.3 s on
-- subscriptions; the per-row foreign keys that migration 0007 replaced, 7.8 s). It trusts classify:
-- an address or subscription added by someone else since then makes it fail with a unique violation
-- (a known subscriber deleted since, with a missing reference), and the importer rolls it back and
-- runs merge-concurrent in the same transaction.
-- Suppressed addresses and those who left this list are left alone entirely; addresses the file marks
-- as bounced, complained or blocked are suppressed, with no subscriber made for them. Known subscribers
-- keep their name unless the file has one, and gain the file's attributes. Subscriptions are new (one
-- insert per target status, so no join back by address), or with --confirmed the author's word confirms
-- waiting ones; a confirmed one is left as it is unless the file says they left. Each subscription
-- change and each suppression is logged as a consent event.
WITH new_confirmed AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM import_rows WHERE outcome = 'imported' AND target = 'confirmed' AND subscriber_id IS NULL
    RETURNING id
), new_unconfirmed AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM import_rows WHERE outcome = 'imported' AND target = 'unconfirmed' AND subscriber_id IS NULL
    RETURNING id
), new_unsubscribed AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM import_rows WHERE outcome = 'unsubscribe' AND subscriber_id IS NULL
    RETURNING id
), known_subscriber AS (
    -- subscriber_id IS NOT NULL lets the planner see, from import_rows' statistics, how few known rows there
    -- are and probe subscribers by key. Without it, it hashed every stored subscriber to update none: with
    -- 1,000,000 new addresses into a database of 1,000,000, 0.7 s (benchmark) and 3.3 s (scratch cluster).
    UPDATE subscribers s
    SET name = CASE WHEN r.name <> '' THEN r.name ELSE s.name END,
        attributes = s.attributes || r.attributes,
        updated_at = now()
    FROM import_rows r
    WHERE r.outcome IN ('imported', 'updated', 'unsubscribe') AND r.subscriber_id IS NOT NULL AND s.id = r.subscriber_id
), added AS (
    INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, unsubscribed_at, source)
    SELECT @ListId, id, target, CASE WHEN target = 'confirmed' THEN now() END,
           CASE WHEN target = 'unsubscribed' THEN now() END, 'import'
    FROM (SELECT id, 'confirmed' AS target FROM new_confirmed
          UNION ALL
          SELECT id, 'unconfirmed' FROM new_unconfirmed
          UNION ALL
          SELECT id, 'unsubscribed' FROM new_unsubscribed
          UNION ALL
          SELECT subscriber_id, target FROM import_rows
          WHERE outcome IN ('imported', 'unsubscribe') AND subscriber_id IS NOT NULL AND subscription_status IS NULL) ids
    RETURNING subscriber_id, status
), confirmed AS (
    -- The status is checked on the row itself too: an unsubscribe since classify stands. The EXISTS is
    -- evaluated once, before the join: without it the planner started from the list's index and visited
    -- every subscription added just before (0.2-0.4 s for 1,000,000) to find no waiting one.
    UPDATE subscriptions sub SET status = 'confirmed', confirmed_at = now(), updated_at = now()
    FROM import_rows r
    WHERE @Confirmed AND EXISTS (SELECT 1 FROM import_rows w WHERE w.subscription_status = 'unconfirmed')
      AND r.outcome = 'updated' AND r.target = 'confirmed' AND r.subscription_status = 'unconfirmed'
      AND sub.list_id = @ListId AND sub.subscriber_id = r.subscriber_id AND sub.status = 'unconfirmed'
    RETURNING sub.subscriber_id, sub.status
), left_list AS (
    UPDATE subscriptions sub SET status = 'unsubscribed', unsubscribed_at = now(), updated_at = now()
    FROM import_rows r
    WHERE r.outcome = 'unsubscribe' AND r.subscription_status IS NOT NULL
      AND sub.list_id = @ListId AND sub.subscriber_id = r.subscriber_id AND sub.status <> 'unsubscribed'
    RETURNING sub.subscriber_id, sub.status
), suppressed AS (
    INSERT INTO suppressions (email_lower, reason, detail)
    SELECT email_lower, reason, 'import' FROM import_rows WHERE outcome = 'suppress'
    ON CONFLICT (email_lower) DO NOTHING
    RETURNING email_lower, reason
)
INSERT INTO consent_events (subscriber_id, list_id, action, source, detail)
SELECT subscriber_id, @ListId, 'imported_' || status, 'import', @Detail::jsonb
FROM (SELECT subscriber_id, status FROM added
      UNION ALL SELECT subscriber_id, status FROM confirmed
      UNION ALL SELECT subscriber_id, status FROM left_list) changed
UNION ALL
SELECT r.subscriber_id, NULL, 'suppressed', 'import', @Detail::jsonb || jsonb_build_object('reason', x.reason)
FROM suppressed x JOIN import_rows r ON r.email_lower = x.email_lower;

-- name: merge-concurrent
-- The same merge when the stored rows moved under classify: each insert resolves its own conflict,
-- so addresses and subscriptions added meanwhile are merged, not duplicated. The subscriber ids come
-- straight from RETURNING (one insert per target status), no join back by lower(email).
WITH confirmed_subscriber AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM import_rows WHERE outcome IN ('imported', 'updated') AND target = 'confirmed'
    ON CONFLICT ((lower(email))) DO UPDATE
    SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE subscribers.name END,
        attributes = subscribers.attributes || EXCLUDED.attributes,
        updated_at = now()
    RETURNING id
), unconfirmed_subscriber AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM import_rows WHERE outcome IN ('imported', 'updated') AND target = 'unconfirmed'
    ON CONFLICT ((lower(email))) DO UPDATE
    SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE subscribers.name END,
        attributes = subscribers.attributes || EXCLUDED.attributes,
        updated_at = now()
    RETURNING id
), unsubscribed_subscriber AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM import_rows WHERE outcome = 'unsubscribe'
    ON CONFLICT ((lower(email))) DO UPDATE
    SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE subscribers.name END,
        attributes = subscribers.attributes || EXCLUDED.attributes,
        updated_at = now()
    RETURNING id
), changed AS (
    INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, unsubscribed_at, source)
    SELECT @ListId, id, target, CASE WHEN target = 'confirmed' THEN now() END,
           CASE WHEN target = 'unsubscribed' THEN now() END, 'import'
    FROM (SELECT id, 'confirmed' AS target FROM confirmed_subscriber
          UNION ALL SELECT id, 'unconfirmed' FROM unconfirmed_subscriber
          UNION ALL SELECT id, 'unsubscribed' FROM unsubscribed_subscriber) ids
    ON CONFLICT (list_id, subscriber_id) DO UPDATE
    SET status = EXCLUDED.status,
        confirmed_at = CASE WHEN EXCLUDED.status = 'confirmed' THEN now() ELSE subscriptions.confirmed_at END,
        unsubscribed_at = CASE WHEN EXCLUDED.status = 'unsubscribed' THEN now() ELSE subscriptions.unsubscribed_at END,
        updated_at = now()
    WHERE (subscriptions.status = 'unconfirmed' AND EXCLUDED.status = 'confirmed')
       OR (subscriptions.status <> 'unsubscribed' AND EXCLUDED.status = 'unsubscribed')
    RETURNING subscriber_id, status
), suppressed AS (
    INSERT INTO suppressions (email_lower, reason, detail)
    SELECT email_lower, reason, 'import' FROM import_rows WHERE outcome = 'suppress'
    ON CONFLICT (email_lower) DO NOTHING
    RETURNING email_lower, reason
)
INSERT INTO consent_events (subscriber_id, list_id, action, source, detail)
SELECT subscriber_id, @ListId, 'imported_' || status, 'import', @Detail::jsonb
FROM changed
UNION ALL
SELECT (SELECT id FROM subscribers WHERE lower(email) = x.email_lower), NULL, 'suppressed', 'import',
       @Detail::jsonb || jsonb_build_object('reason', x.reason)
FROM suppressed x;
