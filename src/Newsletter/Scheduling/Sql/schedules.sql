-- name: upsert-schedule
INSERT INTO schedules (id, list_ids, cron, time_zone, description)
VALUES (@Id, @ListIds, @Cron, @TimeZone, @Description)
ON CONFLICT (id) DO UPDATE
SET list_ids = excluded.list_ids, cron = excluded.cron, time_zone = excluded.time_zone, description = excluded.description;

-- name: get-schedule
SELECT id AS Id, list_ids AS ListIds, cron AS Cron, time_zone AS TimeZone, description AS Description
FROM schedules WHERE id = @Id;

-- name: list-schedules
SELECT id AS Id, list_ids AS ListIds, cron AS Cron, time_zone AS TimeZone, description AS Description
FROM schedules ORDER BY id;

-- name: record-run
INSERT INTO schedule_runs (schedule_id, send_id, outcome) VALUES (@ScheduleId, @SendId, @Outcome);

-- name: last-runs
SELECT schedule_id AS ScheduleId, ran_at AS RanAt, send_id AS SendId, outcome AS Outcome
FROM schedule_runs WHERE schedule_id = @ScheduleId ORDER BY id DESC LIMIT @Limit;

-- name: delete-schedule
DELETE FROM schedules WHERE id = @Id;

-- name: last-run-of-each
SELECT DISTINCT ON (schedule_id) schedule_id AS ScheduleId, ran_at AS RanAt, send_id AS SendId, outcome AS Outcome
FROM schedule_runs ORDER BY schedule_id, id DESC;
