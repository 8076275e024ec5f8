-- name: ping
-- The database part of /healthz, run per request: a pooled connection and no table read.
SELECT 1;
