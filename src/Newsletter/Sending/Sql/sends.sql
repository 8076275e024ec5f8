-- name: list-ids-by-slug
SELECT slug AS Slug, id AS Id FROM lists WHERE slug = ANY(@Slugs);

-- name: create-send
INSERT INTO sends (issue_id, list_ids, scheduled_at, schedule_id, only_missed, preflight_override)
VALUES (@IssueId, @ListIds, @ScheduledAt, @ScheduleId, @OnlyMissed, @PreflightOverride)
RETURNING id;

-- name: lock-sends-of-issue
-- Held to the end of the transaction that checks for an earlier send and creates the new one, so two
-- commands (or the weekly job and a command) at once cannot both pass the check.
SELECT pg_advisory_xact_lock(hashtext('sends-of-issue'), @IssueId::int);

-- name: earlier-send
-- The latest send of the issue to any of these lists that was not cancelled: it went, is going, or will go.
SELECT s.id AS Id, s.issue_id AS IssueId, i.slug AS IssueSlug, s.list_ids AS ListIds, s.status AS Status,
       s.status_reason AS StatusReason, s.scheduled_at AS ScheduledAt, s.started_at AS StartedAt,
       s.first_sent_at AS FirstSentAt, s.finished_at AS FinishedAt, s.recipients AS Recipients,
       s.prepared_at AS PreparedAt, s.frozen_at AS FrozenAt, s.only_missed AS OnlyMissed,
       s.preflight_override AS PreflightOverride
FROM sends s JOIN issues i ON i.id = s.issue_id
WHERE s.issue_id = @IssueId AND s.list_ids && @ListIds AND s.status <> 'cancelled'
ORDER BY s.id DESC
LIMIT 1;

-- name: get-send
SELECT s.id AS Id, s.issue_id AS IssueId, i.slug AS IssueSlug, s.list_ids AS ListIds, s.status AS Status,
       s.status_reason AS StatusReason, s.scheduled_at AS ScheduledAt, s.started_at AS StartedAt,
       s.first_sent_at AS FirstSentAt, s.finished_at AS FinishedAt, s.recipients AS Recipients,
       s.prepared_at AS PreparedAt, s.frozen_at AS FrozenAt, s.only_missed AS OnlyMissed,
       s.preflight_override AS PreflightOverride, i.updated_at > s.created_at AS IssueEditedSince
FROM sends s JOIN issues i ON i.id = s.issue_id
WHERE s.id = @Id;

-- name: sends-before
-- A page of sends, newest first, older than the send @Before (keyset on the primary key).
SELECT s.id AS Id, s.issue_id AS IssueId, i.slug AS IssueSlug, s.list_ids AS ListIds, s.status AS Status,
       s.status_reason AS StatusReason, s.scheduled_at AS ScheduledAt, s.started_at AS StartedAt,
       s.first_sent_at AS FirstSentAt, s.finished_at AS FinishedAt, s.recipients AS Recipients,
       s.prepared_at AS PreparedAt, s.frozen_at AS FrozenAt, s.only_missed AS OnlyMissed,
       s.preflight_override AS PreflightOverride
FROM sends s JOIN issues i ON i.id = s.issue_id
WHERE s.id < @Before
ORDER BY s.id DESC
LIMIT @Limit;

-- name: due-scheduled-sends
-- Sends whose moment has come but that did not start: their Hangfire job was lost, or never made.
SELECT id FROM sends WHERE status = 'scheduled' AND scheduled_at <= now() - interval '30 seconds';

-- name: stalled-sends
-- Sending, with rows ready to go and none in hand for a while: its batch chain was lost.
SELECT s.id FROM sends s
WHERE s.status = 'sending'
  AND s.updated_at < now() - interval '1 minute'
  AND (EXISTS (SELECT 1 FROM deliveries d
               WHERE d.send_id = s.id AND d.subscriber_id > s.claimed_up_to AND d.status = 'pending' AND d.next_attempt_at = '-infinity')
       OR EXISTS (SELECT 1 FROM deliveries d
                  WHERE d.send_id = s.id AND d.status = 'pending' AND d.next_attempt_at > '-infinity' AND d.next_attempt_at <= now()))
  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.send_id = s.id AND d.status = 'sending');

-- name: prepare-send
-- Stores the rendering of a send not yet prepared, once: a second run (or a racing one, which waits
-- for this row lock) finds it prepared. Answers with what the freeze needs to know (no row: nothing to do).
UPDATE sends
SET prepared_at = now(), subject = @Subject, html_body = @HtmlBody, text_body = @TextBody, updated_at = now()
WHERE id = @Id AND status IN ('scheduled', 'paused') AND prepared_at IS NULL
RETURNING only_missed;

-- name: set-recipients
UPDATE sends
SET recipients = @Recipients, frozen_at = clock_timestamp(), updated_at = now()
WHERE id = @Id;

-- name: start-send
UPDATE sends SET status = 'sending', started_at = now(), updated_at = now()
WHERE id = @Id AND status = 'scheduled' AND prepared_at IS NOT NULL
RETURNING id;

-- name: get-content
SELECT s.subject AS Subject, s.html_body AS HtmlBody, s.text_body AS TextBody, i.slug AS IssueSlug
FROM sends s JOIN issues i ON i.id = s.issue_id
WHERE s.id = @Id;

-- name: get-batch-state
-- What every batch job needs; the rendering itself is loaded once per process (DeliveryMessages).
SELECT list_ids AS ListIds, status AS Status FROM sends WHERE id = @Id;

-- name: note-first-sent
UPDATE sends SET first_sent_at = @At WHERE id = @Id AND first_sent_at IS NULL;

-- name: set-status
-- Moves a send between states only along allowed edges (FromStatuses); returns the row when it moved.
UPDATE sends SET status = @Status, status_reason = @Reason, updated_at = now(),
       finished_at = CASE WHEN @Status IN ('finished', 'cancelled') THEN now() ELSE finished_at END
WHERE id = @Id AND status = ANY(@FromStatuses)
RETURNING id;

-- name: cancel-send
-- FOR UPDATE, stronger than the UPDATE's own lock, waits for a batch that is giving rows back or deferring
-- them at this moment: those statements share-lock this row to read the status (deliveries.sql), so they
-- either commit first, and close-cancelled then finds their rows pending, or wait and see 'cancelled'.
WITH cancelling AS (
    SELECT id FROM sends WHERE id = @Id AND status IN ('scheduled', 'sending', 'paused') FOR UPDATE
)
UPDATE sends s SET status = 'cancelled', status_reason = @Reason, updated_at = now(), finished_at = now()
FROM cancelling c
WHERE s.id = c.id
RETURNING s.id;

-- name: status
SELECT status FROM sends WHERE id = @Id;
