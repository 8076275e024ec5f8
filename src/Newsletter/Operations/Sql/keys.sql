-- name: all-keys
-- Read when the key manager refreshes its ring: at first use and about once a day.
SELECT xml FROM data_protection_keys ORDER BY id;

-- name: add-key
INSERT INTO data_protection_keys (friendly_name, xml) VALUES (@FriendlyName, @Xml);

-- name: take-key-ring-lock
-- Held while a starting node loads the ring, or makes its first key: nodes started together must not each
-- make a key of their own and, until their next refresh (a day), refuse each other's cookies.
SELECT pg_advisory_lock(@Key);

-- name: release-key-ring-lock
SELECT pg_advisory_unlock(@Key);
