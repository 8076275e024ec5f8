-- Every delivery entered and left this partial index (claimed → sending → sent), one index insert and
-- one non-HOT update per message on the hottest path. The recovery job that used it runs once a
-- minute; a sequential scan of deliveries costs it ~0.1 s per million rows instead.
DROP INDEX IF EXISTS deliveries_leased;
