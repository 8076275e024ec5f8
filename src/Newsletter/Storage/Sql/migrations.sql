-- name: take-migration-lock
-- A session lock: two processes starting together must not both run the same script.
SELECT pg_advisory_lock(@Key);

-- name: release-migration-lock
-- Released by hand: a pooled connection keeps its session, and with it the lock, after Dispose.
SELECT pg_advisory_unlock(@Key);
