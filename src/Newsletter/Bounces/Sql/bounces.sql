-- name: delivery
-- The delivery a report names; a report about a message never sent (or not yet) matches nothing.
SELECT email AS Email, status AS Status FROM deliveries WHERE send_id = @SendId AND subscriber_id = @SubscriberId;

-- name: latest-delivery-to
-- For provider webhooks that name only the address: the latest message sent to it. One primary-key probe
-- per send (the ledger has no index by address or subscriber), the last 50 sends only.
SELECT d.send_id AS SendId, d.subscriber_id AS SubscriberId
FROM subscribers sub
JOIN deliveries d ON d.subscriber_id = sub.id AND d.send_id = ANY(ARRAY(SELECT id FROM sends ORDER BY id DESC LIMIT 50))
WHERE lower(sub.email) = lower(@Email) AND d.status = 'sent'
ORDER BY d.send_id DESC
LIMIT 1;

-- name: insert-event
INSERT INTO bounce_events (send_id, subscriber_id, kind, status, source, diagnostic)
VALUES (@SendId, @SubscriberId, @Kind, @Status, @Source, @Diagnostic)
ON CONFLICT (send_id, subscriber_id, kind) DO NOTHING
RETURNING id;

-- name: soft-bounces-within
SELECT count(*) FROM bounce_events
WHERE subscriber_id = @SubscriberId AND kind = 'soft' AND created_at > now() - make_interval(days => @WindowDays);

-- name: suppress
-- By the subscriber's address as it is now: an erased subscriber has no row, so nothing is written back.
-- The first reason stays; the consent event is logged only when the address was not suppressed yet.
WITH suppressed AS (
    INSERT INTO suppressions (email_lower, reason, detail)
    SELECT lower(email), @Reason, @Detail FROM subscribers WHERE id = @SubscriberId
    ON CONFLICT (email_lower) DO NOTHING
    RETURNING email_lower
), logged AS (
    INSERT INTO consent_events (subscriber_id, action, source, detail)
    SELECT @SubscriberId, 'suppressed', @Source, @Event::jsonb FROM suppressed
)
SELECT count(*) FROM suppressed;

-- name: unsubscribe-everywhere
WITH changed AS (
    UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now(), updated_at = now()
    WHERE subscriber_id = @SubscriberId AND status <> 'unsubscribed'
    RETURNING list_id
), logged AS (
    INSERT INTO consent_events (subscriber_id, list_id, action, source, detail)
    SELECT @SubscriberId, list_id, 'unsubscribed', @Source, @Event::jsonb FROM changed
)
SELECT count(*) FROM changed;

-- name: counts-of-sends
-- Per send: hard and soft bounces and complaints (the unique key's prefix finds a send's rows).
SELECT s.id AS SendId,
       count(*) FILTER (WHERE b.kind = 'hard') AS Hard,
       count(*) FILTER (WHERE b.kind = 'soft') AS Soft,
       count(*) FILTER (WHERE b.kind = 'complaint') AS Complaints
FROM unnest(@SendIds::bigint[]) AS s(id)
LEFT JOIN bounce_events b ON b.send_id = s.id
GROUP BY s.id;
