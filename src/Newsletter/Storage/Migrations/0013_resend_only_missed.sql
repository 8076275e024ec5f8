-- A send of an issue again, to those who did not get it from an earlier send (new readers, failures):
-- its freeze leaves out everyone the issue reached or is still to reach.
ALTER TABLE sends ADD COLUMN only_missed boolean NOT NULL DEFAULT false;
