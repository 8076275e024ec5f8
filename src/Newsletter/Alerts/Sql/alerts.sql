-- name: add-alert
-- An event already alerted (a unique key) adds nothing and returns no row; alerts without a key always add one.
INSERT INTO alerts (event, subject, body) VALUES (@Event, @Subject, @Body)
ON CONFLICT (event) DO NOTHING
RETURNING id;

-- name: get-alert
SELECT id AS Id, event AS Event, subject AS Subject, body AS Body, raised_at AS RaisedAt, mailed_at AS MailedAt
FROM alerts WHERE id = @Id;

-- name: mark-mailed
UPDATE alerts SET mailed_at = now() WHERE id = @Id;
