-- Measured with 1,000,000 recipients on the 2-core machine (fsync on):
-- claim-batch orders pending rows by (next_attempt_at, subscriber_id). Without subscriber_id in the
-- index every claim sorted all pending rows of the send (3.4 s per claim with 988,000 pending); with
-- it a claim reads the first rows of the index (1 ms).
DROP INDEX IF EXISTS deliveries_claimable;
CREATE INDEX deliveries_claimable ON deliveries (send_id, next_attempt_at, subscriber_id) WHERE status = 'pending';

-- The foreign key to sends cost 7.4 s of an 18.7 s freeze (one trigger call per row). Rows are only
-- ever inserted by the freeze, in the transaction that moves their existing send to 'sending'.
ALTER TABLE deliveries DROP CONSTRAINT IF EXISTS deliveries_send_id_fkey;
