-- name: take-from-window
-- Takes up to @Wanted of a limit's current window for one node, in one atomic upsert: the row lock orders the
-- nodes, and the window ends for all of them at the same database moment. A window that has run out is
-- replaced by the first claim after it: aligned on the clock (@Aligned, so that a relay counting per second
-- sees what we count) or starting at that claim (the hour, as before). The moment is read once, before the
-- lock wait; a claim that waited past the window's end gets seconds_left <= 0, and its node drops the grant.
WITH moment AS (
    SELECT clock_timestamp() AS now
), opening AS (
    SELECT CASE WHEN @Aligned THEN date_bin(@Length, now, TIMESTAMPTZ '2000-01-01 00:00:00+00') ELSE now END AS starts_at, now
    FROM moment
)
INSERT INTO rate_windows AS w (name, starts_at, ends_at, used, granted)
SELECT @Name, starts_at, starts_at + @Length, LEAST(@Wanted, @Limit), LEAST(@Wanted, @Limit)
FROM opening
ON CONFLICT (name) DO UPDATE SET
    starts_at = CASE WHEN w.ends_at > (SELECT now FROM moment) THEN w.starts_at ELSE excluded.starts_at END,
    ends_at   = CASE WHEN w.ends_at > (SELECT now FROM moment) THEN w.ends_at ELSE excluded.ends_at END,
    granted   = GREATEST(0, LEAST(@Wanted, @Limit - CASE WHEN w.ends_at > (SELECT now FROM moment) THEN w.used ELSE 0 END)),
    used      = CASE WHEN w.ends_at > (SELECT now FROM moment) THEN w.used ELSE 0 END
                + GREATEST(0, LEAST(@Wanted, @Limit - CASE WHEN w.ends_at > (SELECT now FROM moment) THEN w.used ELSE 0 END))
RETURNING granted AS Granted, @Limit - used AS LeftInWindow,
    extract(epoch FROM ends_at - clock_timestamp())::double precision AS SecondsLeft;
