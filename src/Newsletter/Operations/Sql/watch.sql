-- name: relay-reachable
-- The relay answered: any outage is over.
INSERT INTO relay_watch (relay, reachable_at, unreachable_since) VALUES (@Relay, now(), NULL)
ON CONFLICT (relay) DO UPDATE SET reachable_at = now(), unreachable_since = NULL;

-- name: relay-unreachable
-- The relay did not answer: the outage began at the first failed probe since it last answered.
INSERT INTO relay_watch (relay, unreachable_since) VALUES (@Relay, now())
ON CONFLICT (relay) DO UPDATE SET unreachable_since = coalesce(relay_watch.unreachable_since, now())
RETURNING unreachable_since AS Since, reachable_at AS ReachableAt, now() AS Now;

-- name: forget-estimates
-- A send that stopped (paused, cancelled, finished) is estimated again if it resumes.
DELETE FROM send_estimates e USING sends s WHERE s.id = e.send_id AND s.status <> 'sending';

-- name: sending-sends
SELECT s.id AS SendId, e.expected_seconds AS ExpectedSeconds
FROM sends s LEFT JOIN send_estimates e ON e.send_id = s.id
WHERE s.status = 'sending'
ORDER BY s.id;

-- name: note-estimate
INSERT INTO send_estimates (send_id, expected_seconds) VALUES (@SendId, @ExpectedSeconds)
ON CONFLICT (send_id) DO NOTHING;
