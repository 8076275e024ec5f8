-- name: ledger-rows
-- The ledger gauge: rows of the sends under way (sending or paused) by state; DatabaseGauges reads it at most once
-- every few seconds however often /metrics is scraped. Per send (LATERAL), so each is read by the primary key's
-- leading send_id: with 20 finished sends of 100,000 rows and one of 100,000 under way, `send_id IN (SELECT …)`
-- was a parallel scan of all 2.1 million rows (170-250 ms, 13,400 buffers); this, 15 ms and 1,025 buffers.
SELECT s.id AS SendId, c.status AS State, c.rows AS Rows
FROM sends s
CROSS JOIN LATERAL (SELECT d.status, count(*) AS rows FROM deliveries d WHERE d.send_id = s.id GROUP BY d.status) c
WHERE s.status IN ('sending', 'paused');

-- name: queue-depths
-- Jobs waiting in each Hangfire queue, not yet fetched by a worker: Hangfire.PostgreSql's queue table, in the
-- schema JobsSetup gives it.
SELECT queue AS Queue, count(*) AS Jobs
FROM hangfire.jobqueue
WHERE fetchedat IS NULL
GROUP BY queue;
