-- Operator alerts, each mailed once to Newsletter:Alerts:Email. An alert about a state a watcher keeps
-- finding (a relay still down, a send still slow) carries an event key, so that its next rounds add nothing;
-- alerts raised where the event happens (a send pausing itself) have none.
CREATE TABLE alerts (
    id        bigserial PRIMARY KEY,
    event     text UNIQUE,
    subject   text NOT NULL,
    body      text NOT NULL,
    raised_at timestamptz NOT NULL DEFAULT now(),
    mailed_at timestamptz
);

-- What the alert watcher saw of the relay: an outage starts at the first failed probe after it answered.
CREATE TABLE relay_watch (
    relay             text PRIMARY KEY,
    reachable_at      timestamptz,
    unreachable_since timestamptz
);

-- A send's duration (first message to last) as the watcher first estimated it; gone when the send pauses,
-- so a resumed send is judged by a new estimate.
CREATE TABLE send_estimates (
    send_id          bigint PRIMARY KEY REFERENCES sends (id) ON DELETE CASCADE,
    estimated_at     timestamptz NOT NULL DEFAULT now(),
    expected_seconds double precision NOT NULL
);
