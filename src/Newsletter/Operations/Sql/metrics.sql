-- name: ledger-rows
-- The ledger gauge: rows of the sends under way (sending or paused) by state. Only those sends' rows are read,
-- by the primary key's leading send_id, never the finished sends' millions; DatabaseGauges reads it at most
-- once every few seconds however often /metrics is scraped.
SELECT d.send_id AS SendId, d.status AS State, count(*) AS Rows
FROM deliveries d
WHERE d.send_id IN (SELECT id FROM sends WHERE status IN ('sending', 'paused'))
GROUP BY d.send_id, d.status;

-- name: queue-depths
-- Jobs waiting in each Hangfire queue, not yet fetched by a worker: Hangfire.PostgreSql's queue table, in the
-- schema JobsSetup gives it.
SELECT queue AS Queue, count(*) AS Jobs
FROM hangfire.jobqueue
WHERE fetchedat IS NULL
GROUP BY queue;
