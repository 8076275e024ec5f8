-- The primary key (list_id, subscriber_id) already leads with the list, and no query narrows a list by
-- status where that prefix would not do; every consent change and import merge paid for this index.
DROP INDEX IF EXISTS subscriptions_list_status;
