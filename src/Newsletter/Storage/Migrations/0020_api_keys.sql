-- The JSON API's keys and its idempotency records.

-- A key is shown once, when made; only the SHA-256 of the whole key is kept. The prefix (the key's first
-- characters, public) finds the row, so the hash is compared in constant time in the app, not by an index.
CREATE TABLE api_keys (
    id           bigserial PRIMARY KEY,
    name         text NOT NULL UNIQUE,
    prefix       text NOT NULL UNIQUE,
    key_hash     bytea NOT NULL,
    read_only    boolean NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Written at most once a minute per key: a request must not cost a row update.
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- One row per Idempotency-Key a key sent with a write: the request's hash, then the response to replay.
-- A row without a response is a request still in flight. Rows older than 24 hours no longer count.
CREATE TABLE api_idempotency (
    api_key_id      bigint NOT NULL REFERENCES api_keys ON DELETE CASCADE,
    idempotency_key text NOT NULL,
    request_hash    bytea NOT NULL,
    status_code     integer,
    content_type    text,
    body            bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (api_key_id, idempotency_key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);
