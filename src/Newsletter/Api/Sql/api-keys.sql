-- Queries of ApiKeyStore.

-- name: create-key
-- Returns nothing when the name is taken.
INSERT INTO api_keys (name, prefix, key_hash, read_only) VALUES (@Name, @Prefix, @KeyHash, @ReadOnly)
ON CONFLICT (name) DO NOTHING
RETURNING id;

-- name: list-keys
SELECT id AS Id, name AS Name, read_only AS ReadOnly, created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt
FROM api_keys ORDER BY name;

-- name: revoke-key
-- Returns nothing when no live key has the name.
UPDATE api_keys SET revoked_at = now() WHERE name = @Name AND revoked_at IS NULL RETURNING id;

-- name: key-by-prefix
SELECT id AS Id, name AS Name, key_hash AS KeyHash, read_only AS ReadOnly, last_used_at AS LastUsedAt
FROM api_keys WHERE prefix = @Prefix AND revoked_at IS NULL;

-- name: note-use
-- At most one write a minute per key, however many requests it makes.
UPDATE api_keys SET last_used_at = now()
WHERE id = @Id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute');
