-- name: freeze-audience
-- One row per confirmed, unsuppressed subscriber of the send's lists with an id from @FromId to @ToId,
-- each once even when on several lists (the lowest list id is the one their unsubscribe link names).
-- The freeze runs this for disjoint id ranges at once, each part in its own transaction on the same
-- snapshot; no ON CONFLICT: the parts never overlap and speculative insertion cost ~2 s per 1,000,000
-- rows. Measured: 8.4 s for 1,000,000 with fsync on, busy machine.
INSERT INTO deliveries (send_id, subscriber_id, list_id, email, name)
SELECT @SendId, s.id, min(sub.list_id), s.email, s.name
FROM subscriptions sub
JOIN subscribers s ON s.id = sub.subscriber_id
WHERE sub.list_id = ANY(@ListIds)
  AND sub.subscriber_id BETWEEN @FromId AND @ToId
  AND sub.status = 'confirmed'
  AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_lower = lower(s.email))
GROUP BY s.id;

-- name: freeze-audience-one-list
-- The usual case, a send to one list: a subscriber is on it once (its primary key), so there is nothing
-- to group. In subscriber order the ledger's indexes are only ever appended to within a part (PostgreSQL's
-- rightmost-leaf fast path for the last part); in hash-join order the inserts took 5.5 of 7.1 s per
-- 1,000,000 rows.
INSERT INTO deliveries (send_id, subscriber_id, list_id, email, name)
SELECT @SendId, s.id, sub.list_id, s.email, s.name
FROM subscriptions sub
JOIN subscribers s ON s.id = sub.subscriber_id
WHERE sub.list_id = @ListId
  AND sub.subscriber_id BETWEEN @FromId AND @ToId
  AND sub.status = 'confirmed'
  AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_lower = lower(s.email))
ORDER BY s.id;

-- name: freeze-audience-missed
-- A send again of an issue (resend of the missed): as freeze-audience, leaving out readers the issue
-- reached, or is still to reach, through an earlier send of it; those whose earlier delivery failed or
-- was skipped, and readers who joined since, are in. Matched by subscriber id only, so the planner can
-- hash the earlier rows once (an OR on the address made it probe them per reader).
INSERT INTO deliveries (send_id, subscriber_id, list_id, email, name)
SELECT @SendId, s.id, min(sub.list_id), s.email, s.name
FROM subscriptions sub
JOIN subscribers s ON s.id = sub.subscriber_id
WHERE sub.list_id = ANY(@ListIds)
  AND sub.subscriber_id BETWEEN @FromId AND @ToId
  AND sub.status = 'confirmed'
  AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_lower = lower(s.email))
  AND NOT EXISTS (SELECT 1
                  FROM sends earlier
                  JOIN deliveries d ON d.send_id = earlier.id
                  WHERE earlier.issue_id = (SELECT issue_id FROM sends WHERE id = @SendId)
                    AND earlier.id <> @SendId
                    AND d.subscriber_id = s.id
                    AND (d.status = 'sent'
                         OR (d.status IN ('pending', 'sending') AND earlier.status <> 'cancelled')))
GROUP BY s.id;

-- name: export-snapshot
-- The preparing transaction's snapshot, which every part of the freeze reads.
SELECT pg_export_snapshot();

-- name: audience-id-range
-- The lowest and highest subscriber id on the send's lists, each from the end of a primary-key range;
-- the freeze splits the span between them into its parts.
SELECT min(r.lowest) AS Lowest, max(r.highest) AS Highest
FROM unnest(@ListIds::bigint[]) l(id)
CROSS JOIN LATERAL (
    SELECT min(sub.subscriber_id) AS lowest, max(sub.subscriber_id) AS highest
    FROM subscriptions sub WHERE sub.list_id = l.id) r;

-- name: remove-unfinished-freeze
-- A freeze whose parts committed but whose own transaction did not (a crash, a failed part) leaves rows
-- of a send that is still unprepared; they go before the next attempt. The row lock waits out a freeze
-- under way, which has then prepared the send, and keeps nothing of it from being removed.
WITH unprepared AS (
    SELECT id FROM sends WHERE id = @SendId AND prepared_at IS NULL FOR NO KEY UPDATE
)
DELETE FROM deliveries d USING unprepared u WHERE d.send_id = u.id;

-- name: analyze-after-freeze
-- Fresh statistics once a send's rows are in: with the ledger's size unknown to the planner (autovacuum
-- analyses a minute or more later) it read every row of the send to mark 50 sent, 20-45 ms a flush.
ANALYZE deliveries;

-- name: claim-batch
-- Rows due again first, then fresh rows in subscriber order from where the send's last claim stopped.
-- Claims of one send take turns on the send's row (fence): one that waits there then reads the
-- claimed_up_to its predecessor committed, so no fresh row is passed over while another claim holds it
-- and may still give it back (ClaimTests). Rows are
-- re-checked against consent as they are claimed, so an unsubscribe or a suppression made after the
-- freeze takes effect before the next batch: those rows become 'skipped', never sent.
WITH fence AS (
    SELECT claimed_up_to FROM sends WHERE id = @SendId FOR NO KEY UPDATE
), due_again AS (
    SELECT d.subscriber_id, d.email
    FROM deliveries d
    WHERE d.send_id = @SendId AND d.status = 'pending' AND d.next_attempt_at > '-infinity' AND d.next_attempt_at <= now()
    ORDER BY d.next_attempt_at
    LIMIT @BatchSize
    FOR UPDATE SKIP LOCKED
), fresh AS (
    SELECT d.subscriber_id, d.email
    FROM deliveries d
    WHERE d.send_id = @SendId AND d.subscriber_id > (SELECT claimed_up_to FROM fence)
      AND d.status = 'pending' AND d.next_attempt_at = '-infinity'
    ORDER BY d.subscriber_id
    LIMIT @BatchSize
    FOR UPDATE SKIP LOCKED
), candidates AS (
    SELECT subscriber_id, email FROM due_again
    UNION ALL
    SELECT subscriber_id, email FROM fresh
    LIMIT @BatchSize
), advanced AS (
    UPDATE sends SET claimed_up_to = reached.id
    FROM (SELECT max(subscriber_id) AS id FROM candidates) reached
    WHERE sends.id = @SendId AND sends.claimed_up_to < reached.id
), judged AS (
    -- One index probe per claimed row (LATERAL … LIMIT 1): as plain EXISTS the planner hashed every
    -- subscription of the lists for each claim (1.1 s per claim of 500 at 54,500 pending).
    SELECT c.subscriber_id, (confirmed.one IS NOT NULL AND suppressed.one IS NULL) AS wanted
    FROM candidates c
    LEFT JOIN LATERAL (SELECT 1 AS one FROM subscriptions sub
                       WHERE sub.subscriber_id = c.subscriber_id AND sub.list_id = ANY(@ListIds)
                         AND sub.status = 'confirmed'
                       LIMIT 1) confirmed ON true
    LEFT JOIN LATERAL (SELECT 1 AS one FROM suppressions x WHERE x.email_lower = lower(c.email) LIMIT 1) suppressed ON true
)
UPDATE deliveries d
SET status      = CASE WHEN j.wanted THEN 'sending' ELSE 'skipped' END,
    attempts    = d.attempts + CASE WHEN j.wanted THEN 1 ELSE 0 END,
    lease_until = CASE WHEN j.wanted THEN now() + @Lease END,
    last_error  = CASE WHEN j.wanted THEN d.last_error ELSE 'unsubscribed or suppressed after the send started' END,
    next_attempt_at = CASE WHEN j.wanted THEN d.next_attempt_at ELSE '-infinity' END
FROM judged j
-- The = ANY(ARRAY(…)) makes the primary key the way in; joined to the CTE alone the planner hashed every
-- row of the send for each claim (29 ms of a 44 ms claim at 30,000 recipients, growing with the list).
WHERE d.send_id = @SendId AND d.subscriber_id = ANY(ARRAY(SELECT subscriber_id FROM candidates))
  AND d.subscriber_id = j.subscriber_id
RETURNING d.subscriber_id AS SubscriberId, d.list_id AS ListId, d.email AS Email, d.name AS Name,
          d.attempts AS Attempts, j.wanted AS Wanted;

-- name: record-sent
-- The usual share of a flush: every message accepted. As record-outcomes with the sent rows alone: the
-- writer flushes every few milliseconds, and the empty parts of record-outcomes cost PostgreSQL more
-- than the rows did (DKIM-on send of 100,000: 85 against 50 µs of its CPU a message).
-- The counts are the rows this write changed, for the metrics (NewsletterMetrics): a row already closed is not counted.
WITH sent AS (
    UPDATE deliveries d
    SET status = 'sent', sent_at = (@SentAt)[array_position(@SentIds, d.subscriber_id)], lease_until = NULL, last_error = NULL,
        next_attempt_at = '-infinity'
    WHERE d.send_id = @SendId AND d.subscriber_id = ANY(@SentIds) AND d.status = 'sending'
    RETURNING 1
)
SELECT status AS Status, (SELECT count(*) FROM sent) AS Sent, 0::bigint AS Deferred, 0::bigint AS Failed, 0::bigint AS Bounced
FROM sends WHERE id = @SendId;

-- name: record-outcomes
-- One send's share of a flush (OutcomeWriter), in one statement (one round trip, atomic without BEGIN and COMMIT), answering
-- with the send's status so that a pause or a cancel is seen at the same moment. Each outcome's rows are
-- disjoint from the others', so no row is updated twice. Empty arrays cost an index probe with no keys.
-- The = ANY gives the planner an index condition on the primary key: joined to unnest alone, it read
-- every row of the send for each flush (114 ms a flush of 50 at 30,000 rows, most of PostgreSQL's CPU).
-- Each row's own value is looked up by its position in the id array rather than joined to unnest: that
-- join ran as a nested loop comparing every pair, 12.6 µs a row per flush of 50 against 6.5 now.
-- A finished row leaves the retry index ('-infinity'); for the rest that value is unchanged, which keeps
-- the update in place (HOT, migration 0011).
WITH deferring AS (
    -- A cancelled send's deferred rows are closed, not left pending. Read, and share-locked against a cancel
    -- at the same moment (cancel-send), only in a flush that defers anything.
    SELECT status = 'cancelled' AS cancelled FROM sends WHERE id = @SendId AND cardinality(@DeferredIds) > 0 FOR KEY SHARE
), sent AS (
    UPDATE deliveries d
    SET status = 'sent', sent_at = (@SentAt)[array_position(@SentIds, d.subscriber_id)], lease_until = NULL, last_error = NULL,
        next_attempt_at = '-infinity'
    WHERE d.send_id = @SendId AND d.subscriber_id = ANY(@SentIds) AND d.status = 'sending'
    RETURNING 1
), failed AS (
    UPDATE deliveries d
    SET status = 'failed', lease_until = NULL, last_error = (@FailedErrors)[array_position(@FailedIds, d.subscriber_id)],
        next_attempt_at = '-infinity'
    WHERE d.send_id = @SendId AND d.subscriber_id = ANY(@FailedIds) AND d.status = 'sending'
    RETURNING d.subscriber_id
), deferred AS (
    UPDATE deliveries d
    SET status = CASE WHEN x.cancelled THEN 'skipped' ELSE 'pending' END, lease_until = NULL,
        last_error = CASE WHEN x.cancelled THEN 'the send was cancelled'
                          ELSE (@DeferredErrors)[array_position(@DeferredIds, d.subscriber_id)] END,
        next_attempt_at = CASE WHEN x.cancelled THEN '-infinity'
                               ELSE (@NextAttemptAt)[array_position(@DeferredIds, d.subscriber_id)] END
    FROM deferring x
    WHERE d.send_id = @SendId AND d.subscriber_id = ANY(@DeferredIds) AND d.status = 'sending'
    RETURNING d.status
), skipped AS (
    UPDATE deliveries d
    SET status = 'skipped', lease_until = NULL, last_error = 'unsubscribed or suppressed after the send started',
        next_attempt_at = '-infinity'
    WHERE d.send_id = @SendId AND d.subscriber_id = ANY(@SkippedIds) AND d.status = 'sending'
), suppressed AS (
    INSERT INTO suppressions (email_lower, reason, detail)
    SELECT lower(u.email), 'hard_bounce', u.error
    FROM unnest(@BouncedEmails, @BouncedErrors) AS u(email, error)
    ON CONFLICT (email_lower) DO NOTHING
), logged AS (
    INSERT INTO consent_events (subscriber_id, list_id, action, source, detail)
    SELECT u.subscriber_id, NULL, 'suppressed_hard_bounce', 'delivery',
           jsonb_build_object('send_id', @SendId, 'error', u.error)
    FROM unnest(@BouncedIds, @BouncedErrors) AS u(subscriber_id, error)
)
-- As in record-sent, the rows this write changed; a deferred row of a cancelled send was closed, not deferred.
SELECT status AS Status, (SELECT count(*) FROM sent) AS Sent, (SELECT count(*) FROM deferred WHERE status = 'pending') AS Deferred,
       (SELECT count(*) FROM failed) AS Failed, (SELECT count(*) FROM failed WHERE subscriber_id = ANY(@BouncedIds)) AS Bounced
FROM sends WHERE id = @SendId;

-- name: consent-withdrawn
-- Opt-outs and suppressions logged after @AfterId, for the batches to check each message against: a row
-- claimed before its reader unsubscribed would otherwise still be sent. Every event after @SeenId comes
-- back, each marked, so the next read starts past the sign-ups too; between the two only opt-outs (the
-- overlap, see ConsentLogReader). By the primary key: cheap at every flush.
SELECT id AS Id, subscriber_id AS SubscriberId, list_id AS ListId, withdrawn AS Withdrawn
FROM (SELECT id, subscriber_id, list_id,
             subscriber_id IS NOT NULL
             AND (action IN ('unsubscribed', 'imported_unsubscribed') OR action LIKE 'suppressed%') AS withdrawn
      FROM consent_events
      WHERE id > @AfterId) e
WHERE id > @SeenId OR withdrawn
ORDER BY id
LIMIT 10000;

-- name: consent-log-end
SELECT coalesce(max(id), 0) FROM consent_events;

-- name: release
-- Rows claimed but not attempted (connection lost, send paused): back to pending, attempt not counted,
-- due now (a real next_attempt_at puts them where claims look for rows behind claimed_up_to). A cancelled
-- send's rows are closed instead; the send's row is share-locked to read that, as in record-outcomes.
WITH send AS (
    SELECT status = 'cancelled' AS cancelled FROM sends WHERE id = @SendId FOR KEY SHARE
)
UPDATE deliveries d
SET status = CASE WHEN s.cancelled THEN 'skipped' ELSE 'pending' END, lease_until = NULL, attempts = d.attempts - 1,
    next_attempt_at = CASE WHEN s.cancelled THEN '-infinity' ELSE now() END,
    last_error = CASE WHEN s.cancelled THEN 'the send was cancelled' ELSE d.last_error END
FROM send s
WHERE d.send_id = @SendId AND d.subscriber_id = ANY(@SubscriberIds) AND d.status = 'sending';

-- name: close-cancelled
-- What a cancelled send still had to do. A send never prepared holds only rows a failed freeze left behind:
-- removed. Otherwise rows waiting, and rows whose batch died with them (lease run out), become skipped;
-- rows a live batch holds are its to record or give back (as skipped, see release). A recovery at the same
-- moment (recover-expired) is waited for row by row, and its rows, pending by then, still match.
WITH send AS (
    SELECT id, prepared_at IS NOT NULL AS prepared FROM sends WHERE id = @SendId AND status = 'cancelled'
), removed AS (
    DELETE FROM deliveries d USING send s WHERE d.send_id = s.id AND NOT s.prepared
)
UPDATE deliveries d
SET status = 'skipped', lease_until = NULL, next_attempt_at = '-infinity', last_error = 'the send was cancelled'
FROM send s
WHERE d.send_id = s.id AND s.prepared
  AND (d.status = 'pending' OR (d.status = 'sending' AND d.lease_until < now()));

-- name: extend-lease
-- Runs beside the batch's own flushes: rows a flush has locked are leaving 'sending' and are skipped, since
-- waiting for them could deadlock with a flush that locks its rows one statement (sent, failed…) at a time.
UPDATE deliveries
SET lease_until = now() + @Lease
WHERE send_id = @SendId AND subscriber_id = ANY(ARRAY(
    SELECT subscriber_id FROM deliveries
    WHERE send_id = @SendId AND subscriber_id = ANY(@SubscriberIds) AND status = 'sending'
    FOR UPDATE SKIP LOCKED));

-- name: recover-expired
-- Rows whose batch died with its process. A sequential scan of the ledger (~0.1 s per million rows, once
-- a minute): the index it had cost every delivery an index insert (migration 0006). Due now, as released rows.
-- A cancelled send's rows are closed (close-cancelled covers a cancel at the same moment).
UPDATE deliveries d
SET status = CASE WHEN s.status = 'cancelled' THEN 'skipped' ELSE 'pending' END, lease_until = NULL,
    next_attempt_at = CASE WHEN s.status = 'cancelled' THEN '-infinity' ELSE now() END,
    last_error = CASE WHEN s.status = 'cancelled' THEN 'the send was cancelled' ELSE d.last_error END
FROM sends s
WHERE s.id = d.send_id AND d.status = 'sending' AND d.lease_until < now()
RETURNING d.send_id;

-- name: counts
SELECT status AS Status, count(*)::int AS Count
FROM deliveries
WHERE send_id = @SendId
GROUP BY status;

-- name: earliest-retry
-- Fresh rows left past claimed_up_to mean now ('-infinity'); else the earliest row due again. Both by index.
SELECT CASE WHEN EXISTS (SELECT 1 FROM deliveries d
                         WHERE d.send_id = @SendId AND d.subscriber_id > (SELECT claimed_up_to FROM sends WHERE id = @SendId)
                           AND d.status = 'pending' AND d.next_attempt_at = '-infinity')
            THEN '-infinity'::timestamptz
            ELSE (SELECT min(next_attempt_at) FROM deliveries
                  WHERE send_id = @SendId AND status = 'pending' AND next_attempt_at > '-infinity')
       END;

-- name: has-open
SELECT EXISTS (SELECT 1 FROM deliveries WHERE send_id = @SendId AND status IN ('pending', 'sending'));

-- name: relay-answers
-- What the relay answered the send's readers still waiting for a retry or given up on, most frequent first: a
-- relay refusing everyone shows as one answer with a large count. One pass over the send's rows, as counts.
SELECT status AS Status, last_error AS Answer, count(*)::int AS Readers
FROM deliveries
WHERE send_id = @SendId AND status IN ('pending', 'failed') AND last_error IS NOT NULL
GROUP BY status, last_error
ORDER BY count(*) DESC, last_error
LIMIT @Limit;

-- name: failed
-- The readers a send gave up on, with the relay's last answer, by address; a page at a time.
SELECT subscriber_id AS SubscriberId, email AS Email, attempts AS Attempts, last_error AS LastError
FROM deliveries
WHERE send_id = @SendId AND status = 'failed'
ORDER BY email, subscriber_id
LIMIT @Limit OFFSET @Offset;
