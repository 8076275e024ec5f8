-- Bounces and complaints, each tied to the delivery it is about. One row per delivery and kind: a report
-- read twice (a mailbox read again, a webhook retried, a relay's second notice) counts once.
CREATE TABLE bounce_events (
    id            bigserial PRIMARY KEY,
    send_id       bigint NOT NULL REFERENCES sends (id) ON DELETE CASCADE,
    subscriber_id bigint NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('hard', 'soft', 'complaint')),
    status        text,
    -- bounce, complaint, or the provider's webhook (ses, postmark, mailgun, generic).
    source        text NOT NULL,
    -- The relay's words with the reader's address taken out: the ledger keeps no address of its own.
    diagnostic    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (send_id, subscriber_id, kind)
);
-- Soft bounces of one reader within the window (BouncesOptions.SoftWindowDays).
CREATE INDEX bounce_events_subscriber ON bounce_events (subscriber_id, created_at);

-- Suppressed after Bounces:SoftLimit soft bounces within Bounces:SoftWindowDays.
ALTER TABLE suppressions DROP CONSTRAINT suppressions_reason_check;
ALTER TABLE suppressions ADD CONSTRAINT suppressions_reason_check
    CHECK (reason IN ('hard_bounce', 'soft_bounce', 'complaint', 'manual', 'unsubscribed_all'));
