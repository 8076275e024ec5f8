-- A scheduled send is rendered and its audience frozen shortly before its moment, so the moment itself
-- only flips the status and the first message leaves at once.
ALTER TABLE sends ADD COLUMN prepared_at timestamptz;
ALTER TABLE sends ADD COLUMN frozen_at timestamptz;
