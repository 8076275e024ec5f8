-- The preflight failures a send to a list went out despite, by the author's explicit override, one a
-- line; null when its issue passed.
ALTER TABLE sends ADD COLUMN preflight_override text;
