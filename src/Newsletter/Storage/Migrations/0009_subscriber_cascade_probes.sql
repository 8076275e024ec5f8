-- 0007's subscriber cascade as index probes, whatever the statistics say. With subscriptions' statistics
-- left at one live row in hundreds of pages (a rolled-back import, then VACUUM), the planner joined the
-- deleted subscribers to a sequential scan of subscriptions in a nested loop, and deleting 30,000
-- subscribers ran past the 60 s statement timeout. The ids now go in as one array, which the subscriber
-- index answers one probe per id: 25 ms for those 30,000. The array alone was not enough (the planner
-- filtered a sequential scan with it, 4.4 s), hence no sequential scan inside this function. Rows are
-- matched by subscriber id, not by address, so a subscription updated meanwhile is still deleted.
CREATE OR REPLACE FUNCTION subscribers_delete_subscriptions() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
BEGIN
    DELETE FROM subscriptions WHERE subscriber_id = ANY(ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END $$;
