-- Lists, subscribers, per-list subscriptions, the global suppression list and the consent log.
-- The delivery engine reads these names; add columns freely, never rename.
CREATE TABLE lists (
    id            bigserial PRIMARY KEY,
    slug          text UNIQUE NOT NULL,
    name          text NOT NULL,
    description   text NOT NULL DEFAULT '',
    double_opt_in boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE subscribers (
    id         bigserial PRIMARY KEY,
    email      text NOT NULL,
    name       text NOT NULL DEFAULT '',
    attributes jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- One subscriber per address, whatever its case; ON CONFLICT ((lower(email))) relies on it.
CREATE UNIQUE INDEX subscribers_email_lower ON subscribers (lower(email));

CREATE TABLE subscriptions (
    list_id         bigint NOT NULL REFERENCES lists ON DELETE CASCADE,
    subscriber_id   bigint NOT NULL REFERENCES subscribers ON DELETE CASCADE,
    status          text NOT NULL CHECK (status IN ('unconfirmed', 'confirmed', 'unsubscribed')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    confirmed_at    timestamptz,
    unsubscribed_at timestamptz,
    -- Moves with every status change; housekeeping ages unconfirmed rows by it.
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- Last confirmation mail: repeated sign-ups within minutes do not mail the address again.
    confirmation_sent_at timestamptz,
    -- Set once the welcome mail went out, so a re-run job does not send it again.
    welcome_sent_at timestamptz,
    -- form, import or admin: only form sign-ups left unconfirmed age out (housekeeping).
    source          text NOT NULL DEFAULT 'form',
    PRIMARY KEY (list_id, subscriber_id)
);
CREATE INDEX subscriptions_list_status ON subscriptions (list_id, status);
CREATE INDEX subscriptions_subscriber ON subscriptions (subscriber_id);

CREATE TABLE suppressions (
    email_lower text PRIMARY KEY,
    reason      text NOT NULL CHECK (reason IN ('hard_bounce', 'complaint', 'manual', 'unsubscribed_all')),
    detail      text,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The audit trail of every consent change. No foreign keys: the trail outlives the rows it describes.
CREATE TABLE consent_events (
    id            bigserial PRIMARY KEY,
    subscriber_id bigint,
    list_id       bigint,
    action        text NOT NULL,
    source        text NOT NULL,
    ip            inet,
    user_agent    text,
    detail        jsonb,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_subscriber ON consent_events (subscriber_id, created_at);
