-- Issues as the author stored them, and sends of them. Our tables are the source of truth for what
-- is scheduled and who got what; Hangfire only runs the work.
CREATE TABLE issues (
    id          bigserial PRIMARY KEY,
    slug        text NOT NULL UNIQUE,
    title       text NOT NULL,
    source      text NOT NULL,
    source_file text,
    ready_at    timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sends (
    id             bigserial PRIMARY KEY,
    issue_id       bigint NOT NULL REFERENCES issues (id),
    list_ids       bigint[] NOT NULL,
    status         text NOT NULL DEFAULT 'scheduled'
                   CHECK (status IN ('scheduled', 'sending', 'paused', 'cancelled', 'finished')),
    status_reason  text,
    scheduled_at   timestamptz NOT NULL,
    started_at     timestamptz,
    first_sent_at  timestamptz,
    finished_at    timestamptz,
    schedule_id    text,
    subject        text,
    html_body      text,
    text_body      text,
    recipients     integer,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sends_status ON sends (status, scheduled_at);

-- One row per (send, recipient): the ledger. Email and name are frozen at the start of the send.
CREATE TABLE deliveries (
    send_id         bigint NOT NULL REFERENCES sends (id) ON DELETE CASCADE,
    subscriber_id   bigint NOT NULL,
    list_id         bigint NOT NULL,
    email           text NOT NULL,
    name            text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
    lease_until     timestamptz,
    sent_at         timestamptz,
    last_error      text,
    PRIMARY KEY (send_id, subscriber_id)
);
CREATE INDEX deliveries_claimable ON deliveries (send_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_leased ON deliveries (lease_until) WHERE status = 'sending';

-- Weekly schedules; the Hangfire recurring job of the same id runs them.
CREATE TABLE schedules (
    id          text PRIMARY KEY,
    list_ids    bigint[] NOT NULL,
    cron        text NOT NULL,
    time_zone   text NOT NULL,
    description text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE schedule_runs (
    id          bigserial PRIMARY KEY,
    schedule_id text NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    ran_at      timestamptz NOT NULL DEFAULT now(),
    send_id     bigint REFERENCES sends (id),
    outcome     text NOT NULL
);
