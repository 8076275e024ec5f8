-- Queries of SubscriberImportStore: the whole import is one transaction over these statements.

-- name: create-staging
CREATE TEMP TABLE import_staging (
    line       bigint NOT NULL,
    email      text NOT NULL,
    name       text NOT NULL,
    attributes jsonb NOT NULL
) ON COMMIT DROP;

-- name: copy-staging
COPY import_staging (line, email, name, attributes) FROM STDIN (FORMAT BINARY)

-- name: classify
-- One row per address (any case); the last one in the file wins, as when a later row corrects an
-- earlier one. Temporary tables are never analysed by autovacuum, hence the ANALYZE.
ANALYZE import_staging;
CREATE TEMP TABLE import_rows ON COMMIT DROP AS
SELECT d.email_lower, d.email, d.name, d.attributes,
       CASE WHEN sup.email_lower IS NOT NULL OR sub.status = 'unsubscribed' THEN 'suppressed'
            WHEN sub.status IS NOT NULL THEN 'updated'
            ELSE 'imported' END AS outcome
FROM (
    SELECT DISTINCT ON (lower(email)) lower(email) AS email_lower, email, name, attributes
    FROM import_staging
    ORDER BY lower(email), line DESC
) d
LEFT JOIN suppressions sup ON sup.email_lower = d.email_lower
LEFT JOIN subscribers s ON lower(s.email) = d.email_lower
LEFT JOIN subscriptions sub ON sub.subscriber_id = s.id AND sub.list_id = @ListId;
ANALYZE import_rows;

-- name: outcome-counts
SELECT (SELECT count(*) FROM import_staging) AS Staged,
       count(*) FILTER (WHERE outcome = 'imported') AS Imported,
       count(*) FILTER (WHERE outcome = 'updated') AS Updated,
       count(*) FILTER (WHERE outcome = 'suppressed') AS Suppressed
FROM import_rows;

-- name: merge
-- One statement: the subscriber ids come straight from RETURNING, no join back by lower(email).
-- Measured here (2 cores, 1,000,000 new rows, auto_explain): 38.5 s of a 48 s import. The subscribers
-- upsert ~9.4 s, the subscriptions upsert ~10 s, the consent events ~4.3 s, and ~13 s after the last
-- row for the foreign-key checks of the subscriptions (one RI query per row and key, locking the
-- subscriber and the list row). COPY of the file (CSV parsing included) is ~6 s, de-duplication ~2 s.
-- Suppressed addresses and those who left this list are left alone entirely. Known subscribers keep
-- their name unless the file has one, and gain the file's attributes. Subscriptions are new, or with
-- --confirmed the author's word confirms waiting ones; a confirmed one is left as it is. Each
-- subscription change is logged as a consent event.
WITH subscriber AS (
    INSERT INTO subscribers (email, name, attributes)
    SELECT email, name, attributes FROM import_rows WHERE outcome <> 'suppressed'
    ON CONFLICT ((lower(email))) DO UPDATE
    SET name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE subscribers.name END,
        attributes = subscribers.attributes || EXCLUDED.attributes,
        updated_at = now()
    RETURNING id
), changed AS (
    INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, source)
    SELECT @ListId, id, CASE WHEN @Confirmed THEN 'confirmed' ELSE 'unconfirmed' END,
           CASE WHEN @Confirmed THEN now() END, 'import'
    FROM subscriber
    ON CONFLICT (list_id, subscriber_id) DO UPDATE
    SET status = 'confirmed', confirmed_at = now(), updated_at = now()
    WHERE subscriptions.status = 'unconfirmed' AND EXCLUDED.status = 'confirmed'
    RETURNING subscriber_id, status
)
INSERT INTO consent_events (subscriber_id, list_id, action, source, detail)
SELECT subscriber_id, @ListId, CASE WHEN status = 'confirmed' THEN 'imported_confirmed' ELSE 'imported_unconfirmed' END,
       'import', @Detail::jsonb
FROM changed;
