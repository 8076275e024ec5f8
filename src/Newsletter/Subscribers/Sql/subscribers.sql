-- Queries of SubscriberStore. Column aliases match the record parameters Dapper fills.

-- name: get-or-create-token-secret
-- Every process on the database must sign with the same secret: the first one to ask creates it.
WITH created AS (
    INSERT INTO app_setting (key, value) VALUES ('subscription_token_secret', @Fresh)
    ON CONFLICT (key) DO NOTHING
    RETURNING value
)
SELECT value FROM created
UNION ALL
SELECT value FROM app_setting WHERE key = 'subscription_token_secret'
LIMIT 1;

-- name: create-list
INSERT INTO lists (slug, name, description, double_opt_in)
VALUES (@Slug, @Name, @Description, @DoubleOptIn)
ON CONFLICT (slug) DO NOTHING
RETURNING id AS Id, slug AS Slug, name AS Name, description AS Description, double_opt_in AS DoubleOptIn, created_at AS CreatedAt;

-- name: update-list
-- A null leaves the column as it is.
UPDATE lists SET name = coalesce(@Name, name), description = coalesce(@Description, description),
                 double_opt_in = coalesce(@DoubleOptIn, double_opt_in)
WHERE slug = @Slug
RETURNING id AS Id, slug AS Slug, name AS Name, description AS Description, double_opt_in AS DoubleOptIn, created_at AS CreatedAt;

-- name: list-by-slug
SELECT id AS Id, slug AS Slug, name AS Name, description AS Description, double_opt_in AS DoubleOptIn, created_at AS CreatedAt
FROM lists WHERE slug = @Slug;

-- name: list-summaries
SELECT l.id AS Id, l.slug AS Slug, l.name AS Name, l.description AS Description, l.double_opt_in AS DoubleOptIn,
       count(*) FILTER (WHERE s.status = 'confirmed') AS Confirmed,
       count(*) FILTER (WHERE s.status = 'unconfirmed') AS Unconfirmed,
       count(*) FILTER (WHERE s.status = 'unsubscribed') AS Unsubscribed
FROM lists l LEFT JOIN subscriptions s ON s.list_id = l.id
GROUP BY l.id ORDER BY l.slug;

-- name: suppression-of
-- 'erased' when only the hash of an erased address is left (profiles.sql, erase-record-hash).
SELECT reason FROM suppressions WHERE email_lower = lower(@Email)
UNION ALL
SELECT 'erased' FROM erased_addresses WHERE email_hash = sha256(convert_to(lower(@Email), 'UTF8'))
LIMIT 1;

-- name: suppressions-by-reason
-- The suppression list's size by reason, for the dashboard; erased addresses keep only a hash and count apart.
SELECT reason AS Reason, count(*) AS Addresses FROM suppressions GROUP BY reason
UNION ALL
SELECT 'erased', count(*) FROM erased_addresses HAVING count(*) > 0
ORDER BY Addresses DESC, Reason;

-- name: subscriber-id-of
SELECT id FROM subscribers WHERE lower(email) = lower(@Email);

-- name: insert-subscriber
-- An anonymous form post never changes a known subscriber, not even an empty name: nothing is returned
-- for a known address (nor for one a concurrent sign-up is adding), and subscriber-id-of finds it.
INSERT INTO subscribers (email, name) VALUES (@Email, @Name)
ON CONFLICT ((lower(email))) DO NOTHING
RETURNING id;

-- name: subscription-status-for-update
SELECT status FROM subscriptions WHERE list_id = @ListId AND subscriber_id = @SubscriberId FOR UPDATE;

-- name: insert-subscription
-- A concurrent sign-up of the same address may have inserted the row first: then nothing is returned.
INSERT INTO subscriptions (list_id, subscriber_id, status, confirmed_at, source)
VALUES (@ListId, @SubscriberId, @Status, CASE WHEN @Status = 'confirmed' THEN now() END, @Source)
ON CONFLICT (list_id, subscriber_id) DO NOTHING
RETURNING 1;

-- name: request-signup-again
-- Someone asked to sign an address up to a list it left. The opt-out stands (status, age and source
-- unchanged) until the confirmation link from the mail this asks for is confirmed.
UPDATE subscriptions SET signup_requested_at = now()
WHERE list_id = @ListId AND subscriber_id = @SubscriberId AND status = 'unsubscribed';

-- name: confirmation-state
-- 'pending' when the link can confirm: a sign-up never confirmed, or one asked for again after the
-- opt-out with a link issued after it too (a link mailed before someone left does not bring them back;
-- links carry their expiry in whole seconds, hence the truncation).
-- confirm-subscription repeats the rule.
SELECT CASE WHEN status = 'confirmed' THEN 'confirmed'
            WHEN status = 'unconfirmed' OR (signup_requested_at > unsubscribed_at AND @LinkIssuedAt >= date_trunc('second', unsubscribed_at)) THEN 'pending'
            ELSE 'closed' END
FROM subscriptions WHERE list_id = @ListId AND subscriber_id = @SubscriberId;

-- name: confirm-subscription
UPDATE subscriptions SET status = 'confirmed', confirmed_at = now(), updated_at = now(), signup_requested_at = NULL
WHERE list_id = @ListId AND subscriber_id = @SubscriberId
  AND (status = 'unconfirmed'
       OR (status = 'unsubscribed' AND signup_requested_at > unsubscribed_at AND @LinkIssuedAt >= date_trunc('second', unsubscribed_at)))
RETURNING 1;

-- name: subscription-status
SELECT status FROM subscriptions WHERE list_id = @ListId AND subscriber_id = @SubscriberId;

-- name: unsubscribe
-- The change and its consent event in one statement: one round trip, atomic without BEGIN and COMMIT.
-- One-click POSTs come in bulk from mailbox providers, often during a send; as three round trips (update,
-- event, commit) an unsubscribe cost the server and PostgreSQL ~1 ms of CPU together (bench load).
WITH changed AS (
    UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now(), updated_at = now()
    WHERE list_id = @ListId AND subscriber_id = @SubscriberId AND status <> 'unsubscribed'
    RETURNING list_id
), logged AS (
    INSERT INTO consent_events (subscriber_id, list_id, action, source, ip, user_agent)
    SELECT @SubscriberId, list_id, 'unsubscribed', @Source, @Ip::inet, @UserAgent FROM changed
)
SELECT count(*) FROM changed;

-- name: unsubscribe-all
UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now(), updated_at = now()
WHERE subscriber_id = @SubscriberId AND status <> 'unsubscribed'
RETURNING list_id;

-- name: suppress-subscriber
INSERT INTO suppressions (email_lower, reason, detail)
SELECT lower(email), @Reason, @Detail FROM subscribers WHERE id = @SubscriberId
ON CONFLICT (email_lower) DO NOTHING
RETURNING 1;

-- name: suppress-address
-- The first reason stays; the event is logged only when the address was not suppressed yet. Returns 1 then.
WITH suppressed AS (
    INSERT INTO suppressions (email_lower, reason, detail) VALUES (lower(@Email), @Reason, @Detail)
    ON CONFLICT (email_lower) DO NOTHING
    RETURNING email_lower
), logged AS (
    INSERT INTO consent_events (subscriber_id, action, source, ip, user_agent, detail)
    SELECT (SELECT id FROM subscribers WHERE lower(email) = suppressed.email_lower), 'suppressed', @Source, @Ip::inet, @UserAgent,
           jsonb_build_object('reason', @Reason::text, 'detail', @Detail::text)
    FROM suppressed
)
SELECT count(*) FROM suppressed;

-- name: insert-consent-event
INSERT INTO consent_events (subscriber_id, list_id, action, source, ip, user_agent, detail)
VALUES (@SubscriberId, @ListId, @Action, @Source, @Ip::inet, @UserAgent, @Detail::jsonb);

-- name: subscriber-lists
SELECT l.id AS ListId, l.slug AS Slug, l.name AS Name, s.status AS Status
FROM subscriptions s JOIN lists l ON l.id = s.list_id
WHERE s.subscriber_id = @SubscriberId ORDER BY l.name;

-- name: subscriber-email
SELECT email FROM subscribers WHERE id = @SubscriberId;

-- name: find-subscriber
-- By address (any case, as the unique index has it) or by id.
SELECT s.id AS Id, s.email AS Email, s.name AS Name,
       coalesce((SELECT sub.list_id FROM subscriptions sub WHERE sub.subscriber_id = s.id
                 ORDER BY sub.status = 'confirmed' DESC, sub.list_id LIMIT 1), 0) AS ListId
FROM subscribers s
WHERE lower(s.email) = lower(@Email) OR s.id = @Id
LIMIT 1;

-- name: consent-mail-recipient
SELECT s.id AS SubscriberId, s.email AS Email, s.name AS Name, l.id AS ListId, l.name AS ListName,
       l.slug AS ListSlug, sub.status AS Status,
       sub.status = 'unconfirmed' OR coalesce(sub.signup_requested_at > sub.unsubscribed_at, false) AS AwaitsConfirmation,
       sub.welcome_sent_at AS WelcomeSentAt
FROM subscriptions sub
JOIN subscribers s ON s.id = sub.subscriber_id
JOIN lists l ON l.id = sub.list_id
WHERE sub.list_id = @ListId AND sub.subscriber_id = @SubscriberId;

-- name: claim-confirmation-mail
-- One confirmation mail per address per window, whatever the list: the claim is taken before sending,
-- and a concurrent claim waits for this row lock and then finds the window taken. Returns the claim.
UPDATE subscribers SET confirmation_mailed_at = now()
WHERE id = @SubscriberId
  AND (confirmation_mailed_at IS NULL OR confirmation_mailed_at <= now() - make_interval(secs => @WindowSeconds))
RETURNING confirmation_mailed_at;

-- name: release-confirmation-mail
-- The mail did not go out: the next try may send it.
UPDATE subscribers SET confirmation_mailed_at = NULL
WHERE id = @SubscriberId AND confirmation_mailed_at = @Claimed;

-- name: mark-confirmation-sent
UPDATE subscriptions SET confirmation_sent_at = now()
WHERE list_id = @ListId AND subscriber_id = @SubscriberId;

-- name: mark-welcome-sent
UPDATE subscriptions SET welcome_sent_at = now()
WHERE list_id = @ListId AND subscriber_id = @SubscriberId AND welcome_sent_at IS NULL;

-- name: purge-unconfirmed
-- Only sign-ups from the form age out: an import or an admin left unconfirmed on purpose.
-- Subscribers left with no list at all and no suppression go too: we never had their consent.
WITH purged AS (
    DELETE FROM subscriptions
    WHERE status = 'unconfirmed' AND source = 'form' AND updated_at < now() - make_interval(days => @Days)
    RETURNING list_id, subscriber_id
), logged AS (
    INSERT INTO consent_events (subscriber_id, list_id, action, source)
    SELECT subscriber_id, list_id, 'expired_unconfirmed', 'housekeeping' FROM purged
), orphans AS (
    DELETE FROM subscribers s
    WHERE s.id IN (SELECT subscriber_id FROM purged)
      AND NOT EXISTS (SELECT 1 FROM subscriptions o WHERE o.subscriber_id = s.id
                      AND (o.list_id, o.subscriber_id) NOT IN (SELECT list_id, subscriber_id FROM purged))
)
SELECT count(*) FROM purged;

-- name: export-list
-- A suppressed address is exported as such (bounced, complained, suppressed) whatever its status on
-- the list, so that an import elsewhere never mails it again.
SELECT s.email AS Email, s.name AS Name,
       CASE WHEN sup.reason IS NULL THEN sub.status WHEN sup.reason IN ('hard_bounce', 'soft_bounce') THEN 'bounced'
            WHEN sup.reason = 'complaint' THEN 'complained' ELSE 'suppressed' END AS Status,
       s.created_at AS SubscriberCreatedAt,
       sub.created_at AS SubscribedAt, sub.confirmed_at AS ConfirmedAt, sub.unsubscribed_at AS UnsubscribedAt,
       s.attributes::text AS Attributes
FROM subscriptions sub JOIN subscribers s ON s.id = sub.subscriber_id
LEFT JOIN suppressions sup ON sup.email_lower = lower(s.email)
WHERE sub.list_id = @ListId
ORDER BY s.id;
