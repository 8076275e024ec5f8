-- Queries of SubscriberProfileStore: finding one person, all we hold about them, and erasing it.
-- Column aliases match the record parameters Dapper fills.

-- name: search
-- Subscribers whose address starts with @Text, then those whose name does (and address does not, so
-- each comes once), merged in the byte order of the lower-cased text matched, after the cursor
-- (@AfterKey, @AfterId). Each part reads ranges of an index (migration 0015) in order and stops at
-- @Limit rows, so a prefix matching 50,000 people costs what a rare one does (bench search). Names are
-- read per group of how many leading characters name and address share: in a group below the text's
-- length the address cannot match too; in the last (8 or more) it is checked. chr(1114111) is the
-- highest code point: in byte order every text starting with @Text sorts below @Text followed by it.
-- Bounds are parameters, not a LIKE pattern, so a generic plan of an auto-prepared statement keeps them.
-- The lower bound is one row comparison (the cursor or the text, whichever is further): next to a plain
-- ">= text", the generic plan started the scan at the row comparison, so a first page ('' , 0) read the
-- index from its start (505 pages for "ann"). The groups are a constant array, not generate_series: the
-- generic plan guessed 1,000 groups for that, and a cost past jit_above_cost spent 0.7 s compiling.
-- The page found, each match's standing (lists by status, suppression) is read for its rows only: a
-- probe of subscriptions_subscriber and of the suppressions' key per match.
SELECT p.id AS Id, p.email AS Email, p.name AS Name, p.by_name AS ByName, p.sort_key AS SortKey, p.created_at AS CreatedAt,
       c.confirmed AS Confirmed, c.unconfirmed AS Unconfirmed, c.unsubscribed AS Unsubscribed,
       (SELECT reason FROM suppressions x WHERE x.email_lower = lower(p.email)) AS Suppression
FROM (
SELECT m.id, m.email, m.name, m.by_name, m.sort_key, m.created_at
FROM (
    (SELECT id, email, name, false AS by_name, lower(email) COLLATE "C" AS sort_key, created_at
     FROM subscribers
     WHERE (lower(email) COLLATE "C", id) > (greatest(@AfterKey, lower(@Text)), @AfterId)
       AND lower(email) COLLATE "C" < lower(@Text) || chr(1114111)
     ORDER BY lower(email) COLLATE "C", id
     LIMIT @Limit)
    UNION ALL
    (SELECT n.id, n.email, n.name, true, n.sort_key, n.created_at
     FROM unnest('{0,1,2,3,4,5,6,7,8}'::integer[]) AS g(overlap)
     CROSS JOIN LATERAL (
         SELECT id, email, name, lower(name) COLLATE "C" AS sort_key, created_at
         FROM subscribers
         WHERE subscriber_name_overlap(lower(name), lower(email)) = g.overlap
           AND (lower(name) COLLATE "C", id) > (greatest(@AfterKey, lower(@Text)), @AfterId)
           AND lower(name) COLLATE "C" < lower(@Text) || chr(1114111)
           AND (g.overlap < 8 OR NOT starts_with(lower(email), lower(@Text)))
         ORDER BY lower(name) COLLATE "C", id
         LIMIT @Limit) n
     WHERE g.overlap < char_length(lower(@Text)))
) m
ORDER BY m.sort_key, m.id
LIMIT @Limit
) p
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
           count(*) FILTER (WHERE status = 'unconfirmed') AS unconfirmed,
           count(*) FILTER (WHERE status = 'unsubscribed') AS unsubscribed
    FROM subscriptions WHERE subscriber_id = p.id
) c
ORDER BY p.sort_key, p.id;

-- name: subscriber-by-email
SELECT s.id AS Id, s.email AS Email, s.name AS Name, s.attributes::text AS Attributes, s.created_at AS CreatedAt,
       s.updated_at AS UpdatedAt, (SELECT reason FROM suppressions x WHERE x.email_lower = lower(s.email)) AS Suppression
FROM subscribers s WHERE lower(s.email) = lower(@Email);

-- name: subscriber-by-id
SELECT s.id AS Id, s.email AS Email, s.name AS Name, s.attributes::text AS Attributes, s.created_at AS CreatedAt,
       s.updated_at AS UpdatedAt, (SELECT reason FROM suppressions x WHERE x.email_lower = lower(s.email)) AS Suppression
FROM subscribers s WHERE s.id = @Id;

-- name: subscriptions-of
SELECT l.slug AS ListSlug, l.name AS ListName, sub.status AS Status, sub.source AS Source, sub.created_at AS SubscribedAt,
       sub.confirmed_at AS ConfirmedAt, sub.unsubscribed_at AS UnsubscribedAt
FROM subscriptions sub JOIN lists l ON l.id = sub.list_id
WHERE sub.subscriber_id = @SubscriberId
ORDER BY l.slug;

-- name: consent-trail
SELECT e.id AS Id, e.created_at AS At, e.action AS Action, e.source AS Source, l.slug AS ListSlug,
       host(e.ip) AS Ip, e.user_agent AS UserAgent, e.detail::text AS Detail
FROM consent_events e LEFT JOIN lists l ON l.id = e.list_id
WHERE e.subscriber_id = @SubscriberId
ORDER BY e.created_at, e.id;

-- name: consent-naming-address
-- Events logged without a subscriber whose detail names the address (a refused sign-up of an address
-- not yet known, a bounce of it). No index finds them: a scan of the consent log, for the data export.
-- The address whole, as a JSON value or in <…> as relays quote it: ann@x.org must not bring joann@x.org's.
SELECT e.id AS Id, e.created_at AS At, e.action AS Action, e.source AS Source, l.slug AS ListSlug,
       host(e.ip) AS Ip, e.user_agent AS UserAgent, e.detail::text AS Detail
FROM consent_events e LEFT JOIN lists l ON l.id = e.list_id
WHERE e.subscriber_id IS NULL
  AND (strpos(lower(e.detail::text), '"' || lower(@Email) || '"') > 0
       OR strpos(lower(e.detail::text), '<' || lower(@Email) || '>') > 0)
ORDER BY e.created_at, e.id;

-- name: deliveries-of
-- One primary-key probe per send, newest first. The ledger has no index by subscriber on purpose: the
-- freeze of a 1,000,000-reader send would pay an index insert per row for it, and sends number hundreds.
SELECT s.id AS SendId, i.slug AS IssueSlug, i.title AS IssueTitle, l.slug AS ListSlug, d.email AS Email,
       d.status AS Status, d.attempts AS Attempts, coalesce(s.started_at, s.scheduled_at) AS SendAt,
       d.sent_at AS SentAt, d.last_error AS LastError,
       -- What came back after the relay took it (bounce_events' key: a probe per send).
       (SELECT string_agg(b.kind || coalesce(' ' || b.status, '') || ' via ' || b.source, ', ' ORDER BY b.id)
        FROM bounce_events b WHERE b.send_id = s.id AND b.subscriber_id = @SubscriberId) AS CameBack
FROM sends s
JOIN LATERAL (SELECT * FROM deliveries d WHERE d.send_id = s.id AND d.subscriber_id = @SubscriberId) d ON true
JOIN issues i ON i.id = s.issue_id
LEFT JOIN lists l ON l.id = d.list_id
ORDER BY s.id DESC;

-- name: lock-subscriber
SELECT id FROM subscribers WHERE lower(email) = lower(@Email) FOR UPDATE;

-- name: erase-record-hash
-- The hash of the lower-cased address, as sign-up and import compute it (suppression-of, classify).
INSERT INTO erased_addresses (email_hash) VALUES (sha256(convert_to(lower(@Email), 'UTF8')))
ON CONFLICT (email_hash) DO NOTHING
RETURNING 1;

-- name: erase-suppression
-- The address itself leaves the suppression list; its hash, above, keeps it off.
DELETE FROM suppressions WHERE email_lower = lower(@Email) RETURNING reason;

-- name: erase-deliveries
-- The rows stay for the sends' counts, without address or name. Rows still waiting are closed as a
-- claim closes an opt-out's (a batch holding one skips it on the consent event logged below); a relay's
-- answer may quote the address, so it goes too, and so do the words of the bounces that came back.
WITH bounces AS (
    UPDATE bounce_events SET diagnostic = NULL WHERE subscriber_id = @SubscriberId AND diagnostic IS NOT NULL
), erased AS (
    UPDATE deliveries d
    SET email = '', name = '',
        status = CASE WHEN d.status = 'pending' THEN 'skipped' ELSE d.status END,
        next_attempt_at = CASE WHEN d.status = 'pending' THEN '-infinity' ELSE d.next_attempt_at END,
        last_error = CASE WHEN d.status = 'pending' THEN 'erased before it was sent' END
    WHERE d.send_id = ANY(ARRAY(SELECT id FROM sends)) AND d.subscriber_id = @SubscriberId
    RETURNING 1
)
SELECT count(*) FROM erased;

-- name: erase-consent-details
-- The trail keeps what happened and when; who did it from where (address, browser, details) goes. Events
-- of no subscriber go on the address anywhere in their detail: rather one too many cleared than one kept.
WITH scrubbed AS (
    UPDATE consent_events e SET ip = NULL, user_agent = NULL, detail = NULL
    WHERE (e.subscriber_id = @SubscriberId
           OR (e.subscriber_id IS NULL AND strpos(lower(e.detail::text), lower(@Email)) > 0))
      AND (e.ip IS NOT NULL OR e.user_agent IS NOT NULL OR e.detail IS NOT NULL)
    RETURNING 1
)
SELECT count(*) FROM scrubbed;

-- name: erase-subscriber
-- Subscriptions go with the subscriber (trigger of migration 0007).
WITH held AS (
    SELECT count(*) AS lists FROM subscriptions WHERE subscriber_id = @SubscriberId
), gone AS (
    DELETE FROM subscribers WHERE id = @SubscriberId RETURNING attributes
)
SELECT (SELECT lists FROM held) AS Lists,
       (SELECT count(*) FROM gone, jsonb_each(CASE WHEN jsonb_typeof(gone.attributes) = 'object' THEN gone.attributes ELSE '{}' END)) AS Attributes;

-- name: log-erasure
-- A 'suppressed…' action: batches of a send under way skip a row they already claimed (consent-withdrawn).
INSERT INTO consent_events (subscriber_id, action, source, ip, user_agent)
VALUES (@SubscriberId, 'suppressed_erased', @Source, @Ip::inet, @UserAgent);
