-- Queries of IdempotencyStore: one row per (key, Idempotency-Key); rows older than 24 hours no longer count.

-- name: claim
-- Claims the Idempotency-Key for a new request (returns 'claimed'), or returns the standing record:
-- 'in_flight' (no response yet, whatever the request), 'mismatch' (another request's) or 'stored' with its response.
-- An expired record, and an in-flight one abandoned for over ten minutes (its process died), is taken over.
-- No row at all: another request claimed the key after this statement began (treat as in flight).
-- The key's other expired records go on the way: the table holds at most a day of each key's writes.
WITH expired AS (
    DELETE FROM api_idempotency
    WHERE api_key_id = @KeyId AND idempotency_key <> @IdempotencyKey AND created_at < now() - interval '24 hours'
), claimed AS (
    INSERT INTO api_idempotency (api_key_id, idempotency_key, request_hash) VALUES (@KeyId, @IdempotencyKey, @RequestHash)
    ON CONFLICT (api_key_id, idempotency_key) DO UPDATE
    SET request_hash = EXCLUDED.request_hash, status_code = NULL, content_type = NULL, body = NULL, created_at = now()
    WHERE api_idempotency.created_at < now() - interval '24 hours'
       OR (api_idempotency.status_code IS NULL AND api_idempotency.created_at < now() - interval '10 minutes')
    RETURNING 1
)
SELECT 'claimed' AS State, NULL::integer AS StatusCode, NULL::text AS ContentType, NULL::bytea AS Body FROM claimed
UNION ALL
SELECT CASE WHEN i.status_code IS NULL THEN 'in_flight' WHEN i.request_hash <> @RequestHash THEN 'mismatch' ELSE 'stored' END,
       i.status_code, i.content_type, i.body
FROM api_idempotency i
WHERE i.api_key_id = @KeyId AND i.idempotency_key = @IdempotencyKey AND NOT EXISTS (SELECT 1 FROM claimed);

-- name: store-response
UPDATE api_idempotency SET status_code = @StatusCode, content_type = @ContentType, body = @Body
WHERE api_key_id = @KeyId AND idempotency_key = @IdempotencyKey;

-- name: release
-- The request failed without an answer worth replaying (a server error): a retry runs it again.
DELETE FROM api_idempotency WHERE api_key_id = @KeyId AND idempotency_key = @IdempotencyKey AND status_code IS NULL;
