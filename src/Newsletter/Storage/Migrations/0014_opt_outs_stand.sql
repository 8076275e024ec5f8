-- An opt-out stands until the person confirms a new sign-up: a form post for an address that left a
-- list only records the request here, and the row stays 'unsubscribed' until the confirmation POST.
ALTER TABLE subscriptions ADD COLUMN signup_requested_at timestamptz;

-- The last confirmation mail to the address, on any list: claimed before sending, so a burst of
-- sign-ups for one address mails it once per window.
ALTER TABLE subscribers ADD COLUMN confirmation_mailed_at timestamptz;

-- The old sign-up turned 'unsubscribed' rows back to 'unconfirmed' (housekeeping then deleted them):
-- an unconfirmed row with unsubscribed_at set has no other origin. Each is an opt-out again, its
-- sign-up a pending request.
UPDATE subscriptions SET status = 'unsubscribed', signup_requested_at = updated_at
WHERE status = 'unconfirmed' AND unsubscribed_at IS NOT NULL;
