-- What each server process used to keep to itself, so that several processes behind one proxy act as one.

-- The DataProtection key ring (sign-in cookies, antiforgery tokens): every node must read the same keys, or a
-- cookie made by one node is refused by the next. Stored as the XML the key manager writes, unencrypted, as
-- it was in the data folder: whoever can read this database can forge a sign-in.
CREATE TABLE data_protection_keys (
    id            bigserial PRIMARY KEY,
    friendly_name text NOT NULL,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- One row per SMTP rate limit (messages per second, per hour): the window now running and what all nodes
-- have taken from it. Nodes take in blocks (SharedRateWindow), so the row is updated a few dozen times a
-- second at most.
CREATE TABLE rate_windows (
    name      text PRIMARY KEY,
    starts_at timestamptz NOT NULL,
    ends_at   timestamptz NOT NULL,
    used      integer NOT NULL,
    granted   integer NOT NULL
);
